package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (host:0 picks a free port)")
	web := flag.String("web", "build/web", "directory of the built web app (./build.sh wasm)")
	data := flag.String("data", filepath.Join(os.TempDir(), "sxweb-serve"), "relay data directory")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (test harnesses: the server never outlives them)")
	flag.Parse()
	if *stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}()
	}
	if err := run(*addr, *web, *data); err != nil {
		log.Fatal(err)
	}
}

func run(addr, web, data string) error {
	if _, err := os.Stat(filepath.Join(web, "index.html")); err != nil {
		return fmt.Errorf("no web app in %s (run ./build.sh wasm): %w", web, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	relay, closeRelay, err := newRelay(data)
	if err != nil {
		return err
	}
	defer closeRelay()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(web, relay), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("serving http://%s/ (web %s, relay data %s)\n", ln.Addr(), web, data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
