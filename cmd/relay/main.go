// Command relay runs the relay server (package relay) on one address:
// WebSocket and HTTP POST on every path but /files/, and the file relay
// (package relay/files) at /files; state in a data directory (the file
// relay's under files/).
//
//	relay [-addr 127.0.0.1:5223] [-data ./relay-data] [-quota 128]
//	      [-max-msg-size 16384] [-expiry 504h] [-idle 5m] [-v]
//	      [limits: -request-timeout 20s -handshake-timeout 10s
//	       -max-conns 0 -max-conns-per-ip 128 -new-burst 1000 -new-rate 1
//	       -new-burst-per-ip 2000 -new-rate-per-ip 2 -max-subs 50000
//	       -max-subs-per-ip 100000 -max-store 8GiB -min-free-disk 1GiB
//	       -queue-expiry 2016h -client-ip-header ""]
//	      [file relay: -files-expiry 48h -files-min-rate 32KiB
//	       -files-new-burst-per-ip 1000 -files-new-rate-per-ip 4
//	       -files-max-per-ip 4GiB -files-max-store 32GiB
//	       -files-max-uploads-per-ip 8 -files-max-uploads 256
//	       -files-max-recipients 4096]
//
// The limits are explained in docs/relay-protocol.md ("Limits") and
// docs/file-protocol.md ("Limits"); -request-timeout, -max-conns-per-ip,
// -min-free-disk and -client-ip-header apply to both relays. It logs
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
	"path/filepath"
	"syscall"
	"time"

	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/files"
	"github.com/sxweb/sxweb/relay/files/diskstore"
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
	var flim files.Limits
	var fexpiry time.Duration
	flim.RegisterFlags(flag.CommandLine, &fexpiry)
	flag.Parse()
	flim.Shared(lim.RequestTimeout, lim.MaxConnsPerAddr, lim.MinFreeDisk, lim.ClientIPHeader)

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
	fsrv, err := diskstore.OpenServer(filepath.Join(*data, "files"), files.Config{Expiry: fexpiry, Logger: log, Limits: flim})
	if err != nil {
		return err
	}
	defer fsrv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.Handle("/files/", fsrv)
	hs := srv.HTTPServer(mux)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	log.Info("relay listening", "url", "ws://"+ln.Addr().String()+"/", "files", "http://"+ln.Addr().String()+"/files", "data", *data)
	if err := hs.Serve(srv.Listener(ln)); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
