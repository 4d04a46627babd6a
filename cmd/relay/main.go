// Command relay runs the relay server (package relay) on one address:
// WebSocket and HTTP POST on every path, state in a data directory.
//
//	relay [-addr 127.0.0.1:5223] [-data ./relay-data] [-quota 128]
//	      [-max-msg-size 16384] [-expiry 504h] [-idle 5m] [-v]
//	      [limits: -request-timeout 20s -handshake-timeout 10s
//	       -max-conns 0 -max-conns-per-ip 128 -new-burst 1000 -new-rate 1
//	       -new-burst-per-ip 2000 -new-rate-per-ip 2 -max-subs 50000
//	       -max-subs-per-ip 100000 -max-store 8GiB -min-free-disk 1GiB
//	       -queue-expiry 2016h -client-ip-header ""]
//
// The limits are explained in docs/relay-protocol.md ("Limits"). It logs
// to stderr and stops cleanly on SIGINT/SIGTERM. Every SEND the relay
// acknowledged is on disk (fsync'd) before the OK is sent.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sxweb/sxweb/relay"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:5223", "listen address (host:port)")
	data := flag.String("data", "relay-data", "data directory (store and auth key)")
	quota := flag.Int("quota", relay.DefaultQuota, "messages a queue holds before QUOTA")
	maxMsg := flag.Int("max-msg-size", relay.DefaultMaxMsgSize, "largest SEND body in bytes")
	expiry := flag.Duration("expiry", relay.DefaultExpiry, "how long undelivered messages are kept")
	idle := flag.Duration("idle", relay.DefaultIdleTimeout, "close WebSocket sessions silent this long")
	verbose := flag.Bool("v", false, "debug logging")
	var lim relay.Limits
	lim.RegisterFlags(flag.CommandLine)
	flag.Parse()

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	srv, err := relay.Open(*data, relay.Config{Quota: *quota, MaxMsgSize: *maxMsg, Expiry: *expiry,
		IdleTimeout: *idle, Logger: log, Limits: lim})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(srv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	log.Info("relay listening", "url", "ws://"+ln.Addr().String()+"/", "data", *data)
	if err := hs.Serve(srv.Listener(ln)); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
