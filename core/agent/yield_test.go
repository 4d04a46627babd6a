package agent

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A caller does not wait for a long batch of received events: the batch
// commits what it has done as soon as a caller waits (or its time is up)
// and the caller's transaction runs next. Counted, not timed: when bob's
// Update runs, only a few of the 100 queued messages are handled yet
// (one message on each of 100 connections, as a group's members send:
// a relay delivers a queue's next message only after the ACK, so one
// batch holds one message per connection).
func TestCallerDoesNotWaitForBatch(t *testing.T) {
	n := newFakeNet()
	alice := newParty(t, "alice", "ws://relay-a", n.client)
	bob := newParty(t, "bob", "ws://relay-b", n.client)
	const total = 100
	var conns []string
	for range total {
		ac, _ := connect(t, alice, bob)
		conns = append(conns, ac)
	}
	bob.a.Close() // the messages wait on the relay, then come at once
	for _, ac := range conns {
		if _, err := alice.a.Send(context.Background(), ac, []byte("queued")); err != nil {
			t.Fatal(err)
		}
	}
	alice.waitCount(total, is[Sent])
	var handled atomic.Int64
	started := make(chan struct{}, 1)
	bob.setHook(func(ev Event, _ *Tx) error {
		if _, ok := ev.(Message); ok {
			time.Sleep(3 * time.Millisecond) // a slow handler: the browser's cost per event
			if handled.Add(1) == 1 {
				started <- struct{}{}
			}
		}
		return nil
	})
	bob.start()
	<-started
	var seen int64
	if err := bob.a.Update(context.Background(), func(*Tx) error { seen = handled.Load(); return nil }); err != nil {
		t.Fatal(err)
	}
	if seen > total/4 {
		t.Fatalf("the caller ran after %d of %d events: it waited for the batch", seen, total)
	}
	bob.waitCount(total, is[Message])
}
