// Package relaytest starts real relays for other packages' tests: in
// process (Start) or as a separate OS process that a test can kill -9 and
// restart on the same port and data directory (StartProcess).
//
// Layer: test helper above relay and cmd/relay. Every relay listens on
// 127.0.0.1 and is stopped by t.Cleanup.
package relaytest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay"
)

// Relay is an in-process relay mounted under /relay on its own mux.
type Relay struct {
	URL     string // ws://127.0.0.1:port/relay
	HTTPURL string // http://127.0.0.1:port/relay (plain GET hello, POST)
	Dir     string // data directory (kept across Restart)
	Addr    string

	t   testing.TB
	cfg relay.Config
	mu  sync.Mutex
	srv *relay.Server
	hs  *http.Server
}

// Start starts a relay on 127.0.0.1:0 with a fresh temp data dir. cfg sets
// limits (Store and AuthKey are ignored: the data dir holds them). With
// cfg.Limits left zero the relay's per-session, per-address and store
// limits are off (relay.Unlimited): every client of a test comes from
// 127.0.0.1, and a group benchmark creates far more queues from there
// than one Internet address may; tests of the limits set them.
func Start(t testing.TB, cfg relay.Config) *Relay {
	t.Helper()
	if cfg.Limits == (relay.Limits{}) {
		cfg.Limits = relay.Unlimited()
	}
	r := &Relay{t: t, cfg: cfg, Dir: t.TempDir()}
	if err := r.start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	r.URL = "ws://" + r.Addr + "/relay"
	r.HTTPURL = "http://" + r.Addr + "/relay"
	t.Cleanup(r.Stop)
	return r
}

func (r *Relay) start(addr string) error {
	srv, err := relay.Open(r.Dir, r.cfg)
	if err != nil {
		return err
	}
	var ln net.Listener
	for i := 0; i < 50; i++ { // the old socket may linger a moment after Stop
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		srv.Close()
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/relay", srv)
	hs := srv.HTTPServer(mux) // cmd/relay's deadlines and connection limits
	go hs.Serve(srv.Listener(ln))
	r.mu.Lock()
	r.srv, r.hs, r.Addr = srv, hs, ln.Addr().String()
	r.mu.Unlock()
	return nil
}

// Server returns the running relay.Server (nil while stopped).
func (r *Relay) Server() *relay.Server {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv
}

// Stop closes the listener, every session and the store. Idempotent.
func (r *Relay) Stop() {
	r.mu.Lock()
	hs, srv := r.hs, r.srv
	r.hs, r.srv = nil, nil
	r.mu.Unlock()
	if hs == nil {
		return
	}
	hs.Close()
	srv.Close()
}

// Restart stops the relay and starts it again on the same address with the
// same data directory (queues, messages and auth key survive).
func (r *Relay) Restart() {
	r.t.Helper()
	r.Stop()
	if err := r.start(r.Addr); err != nil {
		r.t.Fatal(fmt.Errorf("relaytest: restart: %w", err))
	}
}

// waitReady polls addr until it accepts a TCP connection.
func waitReady(ctx context.Context, addr string) error {
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("relay at %s not ready: %w", addr, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
