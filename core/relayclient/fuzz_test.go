package relayclient

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/relay/wire"
)

// seeds are the encoded frames of relay/wire's test vectors.
func seeds(t testing.TB) [][]byte {
	files, _ := filepath.Glob("../../relay/wire/testdata/vectors/*.txt")
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if h, ok := strings.CutPrefix(line, "frame: "); ok {
				fr, err := hex.DecodeString(h)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fr)
			}
		}
	}
	return out
}

type nopConn struct{}

func (nopConn) Read(ctx context.Context) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() }
func (nopConn) Write(context.Context, []byte) error      { return nil }
func (nopConn) Close() error                             { return nil }

// FuzzServerFrame feeds arbitrary server frames to a client session with a
// remembered queue and pending calls: nothing may panic, and a frame can
// only complete calls, never corrupt the client.
func FuzzServerFrame(f *testing.F) {
	ss := seeds(f)
	if len(ss) == 0 {
		f.Fatal("no seeds in relay/wire/testdata/vectors")
	}
	for _, s := range ss {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		c := New("ws://fuzz", func(context.Context, string) (Conn, error) { return nil, ErrNotConnected }, Options{})
		defer c.Close()
		priv, _ := wire.NewKeyPair()
		dh, _ := wire.NewKeyPair()
		_, srv := wire.NewKeyPair()
		q := RecipientQueue{RecipientID: bytes.Repeat([]byte{1}, 24), AuthKey: priv, DHKey: dh, ServerDHKey: srv}
		c.remember(q)
		var h wire.ServerHello
		s := newSession(c, nopConn{}, h)
		s.enqueue(wire.Transmission{Code: wire.PING}, nil, true)
		s.enqueueSubs([]item{{t: wire.Transmission{EntityID: q.RecipientID, Code: wire.SUB}}})
		s.handleFrame(frame)
		s.close(nil)
		s.failAll()
	})
}
