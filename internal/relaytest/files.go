package relaytest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/files"
	"github.com/sxweb/sxweb/relay/files/diskstore"
	"github.com/sxweb/sxweb/relay/limit"
)

// Files is an in-process file relay (relay/files on diskstore) mounted
// at /files on its own server, with cmd/relay's deadlines.
type Files struct {
	URL  string // http://127.0.0.1:port/files
	Addr string
	Dir  string // data directory (kept across Restart)

	t      testing.TB
	cfg    files.Config
	mu     sync.Mutex
	srv    *files.Server
	hs     *http.Server
	tamper map[string][]byte // chunk file → its bytes before SetTamper
}

// StartFiles starts a file relay on 127.0.0.1:0 with a fresh data
// directory. With cfg.Limits left zero its per-address and store limits
// are off (files.Unlimited), as Start's are.
func StartFiles(t testing.TB, cfg files.Config) *Files {
	t.Helper()
	if cfg.Limits == (files.Limits{}) {
		cfg.Limits = files.Unlimited()
	}
	f := &Files{t: t, cfg: cfg, Dir: t.TempDir()}
	if err := f.start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	f.URL = "http://" + f.Addr + "/files"
	t.Cleanup(f.Stop)
	return f
}

func (f *Files) start(addr string) error {
	srv, err := diskstore.OpenServer(f.Dir, f.cfg)
	if err != nil {
		return err
	}
	ln, err := listen(addr)
	if err != nil {
		srv.Close()
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/files/", srv)
	// the message relay's HTTP server: its short deadlines, which the file
	// relay extends per request
	hs := limit.HTTPServer(mux, relay.DefaultRequestTimeout)
	go hs.Serve(ln)
	f.mu.Lock()
	f.srv, f.hs, f.Addr = srv, hs, ln.Addr().String()
	f.mu.Unlock()
	return nil
}

// listen listens on addr, retrying a moment (an old socket may linger
// after a Stop).
func listen(addr string) (net.Listener, error) {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, err
}

// Server returns the running file relay (nil while stopped).
func (f *Files) Server() *files.Server {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.srv
}

// Stored returns the bytes of chunks the relay holds.
func (f *Files) Stored() int64 { return f.Server().Stored() }

// Stop closes the server and the store. Idempotent.
func (f *Files) Stop() {
	f.mu.Lock()
	hs, srv := f.hs, f.srv
	f.hs, f.srv = nil, nil
	f.mu.Unlock()
	if hs == nil {
		return
	}
	hs.Close()
	srv.Close()
}

// Restart stops the relay and starts it again on the same address and
// data directory.
func (f *Files) Restart() {
	f.t.Helper()
	f.Stop()
	if err := f.start(f.Addr); err != nil {
		f.t.Fatal(fmt.Errorf("relaytest: restart the file relay: %w", err))
	}
}

// ChunkFiles returns the paths of the chunk files on disk.
func (f *Files) ChunkFiles() []string {
	ps, _ := filepath.Glob(filepath.Join(f.Dir, "chunks", "*"))
	return ps
}

// TmpFiles returns the paths of the uploads in progress on disk.
func (f *Files) TmpFiles() []string {
	ps, _ := filepath.Glob(filepath.Join(f.Dir, "tmp", "*"))
	return ps
}

// SetTamper changes the bytes of every chunk on disk with fn (the
// relay then serves them changed); nil puts the original bytes back.
func (f *Files) SetTamper(fn func([]byte) []byte) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if fn == nil {
		for p, b := range f.tamper {
			if err := os.WriteFile(p, b, 0o600); err != nil && !os.IsNotExist(err) {
				f.t.Fatal(err)
			}
		}
		f.tamper = nil
		return
	}
	if f.tamper == nil {
		f.tamper = map[string][]byte{}
	}
	ps, _ := filepath.Glob(filepath.Join(f.Dir, "chunks", "*"))
	for _, p := range ps {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // deleted meanwhile
		}
		if _, ok := f.tamper[p]; !ok {
			f.tamper[p] = bytes.Clone(b)
		}
		if err := os.WriteFile(p, fn(b), 0o600); err != nil {
			f.t.Fatal(err)
		}
	}
}

// Clock is a settable clock for a relay's Config.Now: real time plus an
// offset that Advance moves.
type Clock struct{ off atomic.Int64 }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.off.Load())) }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.off.Add(int64(d)) }
