package relayclient_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// switchDial is wsdial.Dial behind a switch ("the network"), reporting
// each attempt.
type switchDial struct {
	mu       sync.Mutex
	down     bool
	attempts chan struct{}
}

func (s *switchDial) set(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

func (s *switchDial) dial(ctx context.Context, url string) (relayclient.Conn, error) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	defer func() {
		select {
		case s.attempts <- struct{}{}:
		default:
		}
	}()
	if down {
		return nil, errors.New("network down")
	}
	return wsdial.Dial(ctx, url)
}

// A client backing off (an hour here) dials at once on Reconnect: Up.
func TestReconnectSkipsBackoff(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	sw := &switchDial{down: true, attempts: make(chan struct{}, 16)}
	c := relayclient.New(r.URL, sw.dial, relayclient.Options{MinBackoff: time.Hour, MaxBackoff: time.Hour})
	t.Cleanup(func() { c.Close() })
	select {
	case <-sw.attempts: // the first attempt failed: now in an hour's backoff
	case <-time.After(60 * time.Second):
		t.Fatal("no dial attempt")
	}
	sw.set(false)
	c.Reconnect()
	protosuite.Next[relayclient.Up](t, c)
	ctx := protosuite.Ctx(t)
	protosuite.Must(t, c.Ping(ctx))
	c.Reconnect() // connected: nothing happens
	protosuite.Must(t, c.Ping(ctx))
}
