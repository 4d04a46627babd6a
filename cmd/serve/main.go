package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sxweb/sxweb/relay"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (host:0 picks a free port)")
	web := flag.String("web", "build/web", "directory of the built web app (./build.sh wasm)")
	data := flag.String("data", filepath.Join(os.TempDir(), "sxweb-serve"), "relay data directory")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (test harnesses: the server never outlives them)")
	var lim relay.Limits
	lim.RegisterFlags(flag.CommandLine) // the relay's limits, as cmd/relay's flags
	var fo fileOpts
	fo.lim.RegisterFlags(flag.CommandLine, &fo.expiry) // the file relay's, as cmd/relay's
	flag.Parse()
	if *stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}()
	}
	if err := run(*addr, *web, *data, lim, fo); err != nil {
		log.Fatal(err)
	}
}

// staticWriteTimeout bounds writing one response: the app's wasm is
// several MB, so longer than the relay's own request deadline.
const staticWriteTimeout = 2 * time.Minute

func run(addr, web, data string, lim relay.Limits, fo fileOpts) error {
	if _, err := os.Stat(filepath.Join(web, "index.html")); err != nil {
		return fmt.Errorf("no web app in %s (run ./build.sh wasm): %w", web, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rl, err := newRelay(data, lim)
	if err != nil {
		return err
	}
	defer rl.Close()
	fl, err := newFiles(data, lim, fo)
	if err != nil {
		return err
	}
	defer fl.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// The relay's deadlines and connection limits cover the app's files too.
	srv := rl.HTTPServer(newHandler(web, rl, fl))
	srv.WriteTimeout = max(srv.WriteTimeout, staticWriteTimeout)
	fmt.Printf("serving http://%s/ (web %s, relay data %s; file relay at /files)\n", ln.Addr(), web, data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(rl.Listener(ln)) }()
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
