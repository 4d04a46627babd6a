package chat_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// flakyStore fails the next Apply that writes to bucket, once armed.
type flakyStore struct {
	store.Store
	mu     sync.Mutex
	bucket string
	fails  int
}

func (f *flakyStore) arm(bucket string, n int) {
	f.mu.Lock()
	f.bucket, f.fails = bucket, n
	f.mu.Unlock()
}

func (f *flakyStore) Apply(ctx context.Context, b *store.Batch) error {
	f.mu.Lock()
	fail := false
	if f.fails > 0 {
		for _, op := range b.Ops {
			if op.Bucket == f.bucket {
				fail = true
				f.fails--
				break
			}
		}
	}
	f.mu.Unlock()
	if fail {
		return errors.New("flaky: apply failed")
	}
	return f.Store.Apply(ctx, b)
}

// A received message whose first commit fails is emitted once, after the
// retry commits, not also for the attempt that never landed.
func TestEventsOnlyAfterCommit(t *testing.T) {
	net := fakeagent.NewNetwork()
	var clients []*chat.Client
	var stores []*flakyStore
	for _, n := range []string{"alice", "bob"} {
		st := &flakyStore{Store: memstore.New()}
		ag := net.NewAgent(n, st)
		c, err := chat.New(chat.Config{Store: st, Agent: ag})
		if err != nil {
			t.Fatal(err)
		}
		ag.SetHandler(c.HandleEvent)
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ag.Close(); c.Close() })
		clients, stores = append(clients, c), append(stores, st)
	}
	a, b := clients[0], clients[1]
	inv, err := a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := b.Connect(ctx, inv.Link)
	if err != nil {
		t.Fatal(err)
	}
	next := func(want func(chat.Event) bool) chat.Event {
		t.Helper()
		limit, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		for {
			ev, err := b.Events().Pop(limit)
			if err != nil {
				t.Fatalf("gave up waiting for an event: %v", err)
			}
			if want(ev) {
				return ev
			}
		}
	}
	isMsg := func(ev chat.Event) bool { _, ok := ev.(chat.MessageEvent); return ok }
	next(func(ev chat.Event) bool {
		e, ok := ev.(chat.ContactEvent)
		return ok && e.Contact.ContactID == bc && e.Contact.Status == "connected"
	})
	stores[1].arm("c.msg", 2) // bob's first two commits of a message fail
	for _, text := range []string{"one", "two"} {
		if _, err := a.SendDirectMessage(ctx, inv.ContactID, text); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{"one", "two"} {
		e := next(isMsg).(chat.MessageEvent)
		if e.Message.Text != want {
			t.Fatalf("message event %q, want %q (each message once, in order)", e.Message.Text, want)
		}
		if e.Unread != i+1 {
			t.Fatalf("message event %q says %d unread, want %d", want, e.Unread, i+1)
		}
	}
	ms, err := b.Messages(ctx, chat.ChatRef{ContactID: bc})
	if err != nil || len(ms) != 2 {
		t.Fatalf("bob has %d messages (%v), want 2", len(ms), err)
	}
}
