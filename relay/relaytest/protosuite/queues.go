package protosuite

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
)

// A queue is created, secured by its sender, and carries messages in
// order, each delivered once acknowledged.
func testCreateSecureSendAck(t *testing.T, tg Target) {
	ctx := ctxT(t)
	alice, bob := newClient(t, tg.URL), newClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	key := relayclient.NewSenderKey()
	must(t, bob.Secure(ctx, q.SenderID, key))
	must(t, bob.Secure(ctx, q.SenderID, key)) // a retried SKEY with the same key
	for i := range 3 {
		must(t, bob.Send(ctx, q.SenderID, key, fmt.Appendf(nil, "message %d", i)))
	}
	for i := range 3 {
		m := next[relayclient.Message](t, alice)
		if want := fmt.Sprintf("message %d", i); string(m.Body) != want || !bytes.Equal(m.RecipientID, q.RecipientID) {
			t.Fatalf("got %q, want %q", m.Body, want)
		}
		must(t, alice.Ack(ctx, q, m.MsgID))
	}
	wantCode(t, "ack of an acknowledged message", alice.Ack(ctx, q, q.RecipientID), "NO_MSG")
}

func testRedeliveryAfterResubscribe(t *testing.T, tg Target) {
	ctx := ctxT(t)
	alice, bob := newClient(t, tg.URL), newClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("hello"))) // unsecured queue: no key needed
	m := next[relayclient.Message](t, alice)
	for _, err := range alice.Subscribe(ctx, []relayclient.RecipientQueue{q}) {
		must(t, err)
	}
	m2 := next[relayclient.Message](t, alice)
	if !bytes.Equal(m.MsgID, m2.MsgID) || string(m2.Body) != "hello" {
		t.Fatalf("re-delivered %q %x, want the same message", m2.Body, m2.MsgID)
	}
	must(t, alice.Ack(ctx, q, m2.MsgID))
}

func testSecondSubscriberEndsFirst(t *testing.T, tg Target) {
	ctx := ctxT(t)
	tab1, tab2, bob := newClient(t, tg.URL), newClient(t, tg.URL), newClient(t, tg.URL)
	q, err := tab1.CreateQueue(ctx)
	must(t, err)
	must(t, tab2.Subscribe(ctx, []relayclient.RecipientQueue{q})[0])
	end := next[relayclient.End](t, tab1)
	if !bytes.Equal(end.RecipientID, q.RecipientID) {
		t.Fatal("END for another queue")
	}
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("to the new tab")))
	if m := next[relayclient.Message](t, tab2); string(m.Body) != "to the new tab" {
		t.Fatalf("got %q", m.Body)
	}
	// tab1 deletes the queue: tab2, still subscribed, is told.
	must(t, tab1.Delete(ctx, q))
	if d := next[relayclient.QueueDeleted](t, tab2); !bytes.Equal(d.RecipientID, q.RecipientID) {
		t.Fatal("DELD for another queue")
	}
	wantCode(t, "send to deleted queue", bob.Send(ctx, q.SenderID, nil, []byte("x")), "AUTH")
}

func testGetSuspendDelete(t *testing.T, tg Target) {
	ctx := ctxT(t)
	owner, poller, bob := newClient(t, tg.URL), newClient(t, tg.URL), newClient(t, tg.URL)
	q, err := owner.CreateQueue(ctx)
	must(t, err)
	if m, err := poller.Get(ctx, q); m != nil || err != nil {
		t.Fatalf("get on empty queue: %v %v", m, err)
	}
	key := relayclient.NewSenderKey()
	must(t, bob.Secure(ctx, q.SenderID, key))
	wantCode(t, "unauthenticated send to secured queue", bob.Send(ctx, q.SenderID, nil, []byte("x")), "AUTH")
	must(t, bob.Send(ctx, q.SenderID, key, []byte("polled")))
	_ = next[relayclient.Message](t, owner) // owner is subscribed (NEW subscribes)
	m, err := poller.Get(ctx, q)
	must(t, err)
	if m == nil || string(m.Body) != "polled" {
		t.Fatalf("get: %+v", m)
	}
	wantCode(t, "GET on own subscription", func() error { _, err := owner.Get(ctx, q); return err }(), "CMD_PROHIBITED")
	must(t, poller.Ack(ctx, q, m.MsgID))
	must(t, owner.Suspend(ctx, q))
	wantCode(t, "send to suspended queue", bob.Send(ctx, q.SenderID, key, []byte("late")), "AUTH")
	must(t, owner.Delete(ctx, q))
	wantCode(t, "get after delete", func() error { _, err := poller.Get(ctx, q); return err }(), "AUTH")
}

// The queue takes tg.Quota messages, then refuses until it is drained.
func testQuotaAndOversize(t *testing.T, tg Target) {
	ctx := ctxT(t)
	alice, bob := newClient(t, tg.URL), newClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	wantCode(t, "oversize", bob.Send(ctx, q.SenderID, nil, make([]byte, tg.MaxMsgSize+1)), "LARGE_MSG")
	must(t, bob.Send(ctx, q.SenderID, nil, make([]byte, tg.MaxMsgSize)))
	for i := 1; i < tg.Quota; i++ {
		must(t, bob.Send(ctx, q.SenderID, nil, fmt.Appendf(nil, "%d", i)))
	}
	wantCode(t, "full queue", bob.Send(ctx, q.SenderID, nil, []byte("one too many")), "QUOTA")
	for i := range tg.Quota {
		m := next[relayclient.Message](t, alice)
		if i > 0 {
			wantCode(t, "queue not yet drained", bob.Send(ctx, q.SenderID, nil, []byte("x")), "QUOTA")
		}
		must(t, alice.Ack(ctx, q, m.MsgID))
	}
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("after drain")))
	if m := next[relayclient.Message](t, alice); string(m.Body) != "after drain" {
		t.Fatalf("got %q", m.Body)
	}
}
