package relayclient_test

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newClient(t *testing.T, url string) *relayclient.Client {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

// next returns the next event of type T, skipping others (Up, Down).
func next[T relayclient.Event](t *testing.T, c *relayclient.Client) T {
	t.Helper()
	timeout := time.After(30 * time.Second)
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

// noMessage checks that no Message event is queued right now (after a PING
// round trip, so anything the relay pushed before PONG has arrived).
func noMessage(t *testing.T, c *relayclient.Client) {
	t.Helper()
	if err := c.Ping(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-c.Events():
			if m, ok := ev.(relayclient.Message); ok {
				t.Fatalf("unexpected message %q", m.Body)
			}
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
