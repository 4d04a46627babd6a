package agent

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
)

// netSwitch is wsdial.Dial behind a switch ("the network"), reporting
// each failed attempt.
type netSwitch struct {
	mu     sync.Mutex
	down   bool
	failed chan struct{}
}

func (s *netSwitch) set(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

func (s *netSwitch) dial(ctx context.Context, url string) (relayclient.Conn, error) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		select {
		case s.failed <- struct{}{}:
		default:
		}
		return nil, errors.New("network down")
	}
	return wsdial.Dial(ctx, url)
}

// Relay unreachable, the client backing off (for an hour here); the
// network comes back and Reconnect brings the relay up at once, and a
// message sent while down goes out.
func TestReconnectNow(t *testing.T) {
	relayURL := startRelay(t)
	alice := newParty(t, "alice", relayURL, realClient)
	sw := &netSwitch{failed: make(chan struct{}, 16)}
	slow := func(server string) RelayClient {
		return relayclient.New(server, sw.dial,
			relayclient.Options{MinBackoff: time.Hour, MaxBackoff: time.Hour})
	}
	bob := newParty(t, "bob", relayURL, slow)
	ac, bc := connect(t, alice, bob)
	bob.a.Close()
	for len(bob.events) > 0 { // only events of the restarted agent count
		<-bob.events
	}
	sw.set(true)
	bob.start() // its relay client's first dial fails: an hour's backoff
	select {
	case <-sw.failed:
	case <-time.After(waitLimit):
		t.Fatal("no dial attempt")
	}
	if _, err := bob.a.Send(context.Background(), bc, []byte("while down")); err != nil {
		t.Fatal(err)
	}
	sw.set(false)
	if err := bob.a.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	nextOf[RelayUp](bob)
	if m := nextOf[Message](alice); string(m.Body) != "while down" || m.ConnID != ac {
		t.Fatalf("alice got %q on %s", m.Body, m.ConnID)
	}
}
