package protosuite

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/relay/wire"
)

// Target is the relay under test and the limits it was started with.
type Target struct {
	URL        string // ws:// or wss:// URL of the relay
	HTTPURL    string // http:// URL of the same relay (plain GET hello, POST)
	Quota      int    // messages per queue (small: the quota test fills a queue)
	MaxMsgSize int    // largest SEND body
}

// Run runs every protocol test against tg as subtests.
func Run(t *testing.T, tg Target) {
	tests := []struct {
		name string
		f    func(*testing.T, Target)
	}{
		{"CreateSecureSendAck", testCreateSecureSendAck},
		{"RedeliveryAfterResubscribe", testRedeliveryAfterResubscribe},
		{"SecondSubscriberEndsFirst", testSecondSubscriberEndsFirst},
		{"GetSuspendDelete", testGetSuspendDelete},
		{"QuotaAndOversize", testQuotaAndOversize},
		{"NoKeyNoAccess", testNoKeyNoAccess},
		{"TagBoundToSession", testTagBoundToSession},
		{"MalformedFrames", testMalformedFrames},
		{"HTTPPost", testHTTPPost},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, tg) })
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newClient(t *testing.T, url string) *relayclient.Client {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

// next waits for the client's next event of type T, skipping others.
func next[T relayclient.Event](t *testing.T, c *relayclient.Client) T {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				t.Fatal("events closed")
			}
			if e, ok := ev.(T); ok {
				return e
			}
		case <-timeout:
			var zero T
			t.Fatalf("no %T event", zero)
		}
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	e, ok := err.(*relayclient.Error)
	if !ok || e.Code != code {
		t.Fatalf("%s: got %v, want ERR %s", what, err, code)
	}
}

// raw is a hand-driven WebSocket session for malformed input.
type raw struct {
	t    *testing.T
	conn relayclient.Conn
	h    wire.ServerHello
}

func dialRaw(t *testing.T, url string) *raw {
	ctx := ctxT(t)
	c, err := wsdial.Dial(ctx, url)
	must(t, err)
	t.Cleanup(func() { c.Close() })
	f, err := c.Read(ctx)
	must(t, err)
	h, err := wire.ParseServerHello(f)
	must(t, err)
	must(t, c.Write(ctx, wire.AppendClientHello(nil, 1)))
	return &raw{t: t, conn: c, h: h}
}

func (r *raw) send(frame []byte) { must(r.t, r.conn.Write(ctxT(r.t), frame)) }

// recv reads one frame and decodes its transmissions.
func (r *raw) recv() []wire.Transmission {
	f, err := r.conn.Read(ctxT(r.t))
	must(r.t, err)
	return decodeFrame(r.t, f)
}

func decodeFrame(t *testing.T, f []byte) []wire.Transmission {
	t.Helper()
	body, err := wire.BatchBody(f)
	must(t, err)
	raws, err := wire.SplitBatch(body)
	must(t, err)
	var ts []wire.Transmission
	for _, x := range raws {
		tr, err := wire.Decode(x)
		must(t, err)
		ts = append(ts, tr)
	}
	return ts
}

func (r *raw) recvOne() wire.Transmission {
	ts := r.recv()
	if len(ts) != 1 {
		r.t.Fatalf("got %d transmissions, want 1", len(ts))
	}
	return ts[0]
}
