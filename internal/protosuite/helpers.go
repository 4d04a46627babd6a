package protosuite

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/relay/wire"
)

// The helpers below are the suite's own, exported so that the tests of
// one relay's own behaviour (package relay: durability, expiry, idle
// timeout) and of core/relayclient drive a relay the same way.

// Ctx returns a context that ends with the test (or after 90 s).
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Must fails the test on a non-nil error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// NewClient returns a relay client (native WebSocket, fast reconnects)
// closed when the test ends.
func NewClient(t testing.TB, url string) *relayclient.Client {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

// Next waits for the client's next event of type T, skipping others.
func Next[T relayclient.Event](t testing.TB, c *relayclient.Client) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		ev, err := c.Events().Pop(ctx)
		if err != nil {
			var zero T
			t.Fatalf("no %T event: %v", zero, err)
		}
		if e, ok := ev.(T); ok {
			return e
		}
	}
}

// NoMessage checks that no Message event is queued now: after a PING round
// trip, so that whatever the relay pushed before its PONG has arrived.
func NoMessage(t testing.TB, c *relayclient.Client) {
	t.Helper()
	Must(t, c.Ping(Ctx(t)))
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		ev, err := c.Events().Pop(ctx)
		cancel()
		if err != nil {
			return
		}
		if m, ok := ev.(relayclient.Message); ok {
			t.Fatalf("unexpected message %q", m.Body)
		}
	}
}

// WantCode fails unless err is the relay error code.
func WantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	e, ok := err.(*relayclient.Error)
	if !ok || e.Code != code {
		t.Fatalf("%s: got %v, want ERR %s", what, err, code)
	}
}

// Raw is a hand-driven WebSocket session (after the hellos), for input
// the client would never send.
type Raw struct {
	Conn  relayclient.Conn
	Hello wire.ServerHello
	t     testing.TB
}

// DialRaw connects to url and exchanges hellos (version 1).
func DialRaw(t testing.TB, url string) *Raw {
	ctx := Ctx(t)
	c, err := wsdial.Dial(ctx, url)
	Must(t, err)
	t.Cleanup(func() { c.Close() })
	f, err := c.Read(ctx)
	Must(t, err)
	h, err := wire.ParseServerHello(f)
	Must(t, err)
	Must(t, c.Write(ctx, wire.AppendClientHello(nil, 1)))
	return &Raw{t: t, Conn: c, Hello: h}
}

// Send writes one frame.
func (r *Raw) Send(frame []byte) { Must(r.t, r.Conn.Write(Ctx(r.t), frame)) }

// Recv reads one frame and decodes its transmissions.
func (r *Raw) Recv() []wire.Transmission {
	f, err := r.Conn.Read(Ctx(r.t))
	Must(r.t, err)
	return DecodeFrame(r.t, f)
}

// RecvOne reads one frame that must hold exactly one transmission.
func (r *Raw) RecvOne() wire.Transmission {
	ts := r.Recv()
	if len(ts) != 1 {
		r.t.Fatalf("got %d transmissions, want 1", len(ts))
	}
	return ts[0]
}

// DecodeFrame decodes a server batch frame.
func DecodeFrame(t testing.TB, f []byte) []wire.Transmission {
	t.Helper()
	body, err := wire.BatchBody(f)
	Must(t, err)
	raws, err := wire.SplitBatch(body)
	Must(t, err)
	var ts []wire.Transmission
	for _, x := range raws {
		tr, err := wire.Decode(x)
		Must(t, err)
		ts = append(ts, tr)
	}
	return ts
}

// Post sends one HTTP batch frame and decodes the response frame.
func Post(t testing.TB, url string, body []byte) []wire.Transmission {
	t.Helper()
	resp, err := http.Post(url, "application/octet-stream", bytes.NewReader(body))
	Must(t, err)
	defer resp.Body.Close()
	f, err := io.ReadAll(resp.Body)
	Must(t, err)
	return DecodeFrame(t, f)
}
