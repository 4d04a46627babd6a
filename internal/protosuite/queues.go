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
	ctx := Ctx(t)
	alice, bob := NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	Must(t, err)
	if len(q.RecipientID) != 24 || len(q.SenderID) != 24 || bytes.Equal(q.RecipientID, q.SenderID) {
		t.Fatalf("ids %x %x: want two different 24-byte ids", q.RecipientID, q.SenderID)
	}
	key := relayclient.NewSenderKey()
	Must(t, bob.Secure(ctx, q.SenderID, key))
	Must(t, bob.Secure(ctx, q.SenderID, key)) // a retried SKEY with the same key
	for i := range 3 {
		Must(t, bob.Send(ctx, q.SenderID, key, fmt.Appendf(nil, "message %d", i)))
	}
	for i := range 3 {
		m := Next[relayclient.Message](t, alice)
		if want := fmt.Sprintf("message %d", i); string(m.Body) != want || !bytes.Equal(m.RecipientID, q.RecipientID) {
			t.Fatalf("got %q, want %q", m.Body, want)
		}
		NoMessage(t, alice) // one at a time: the next comes only after the ACK
		Must(t, alice.Ack(ctx, q, m.MsgID))
	}
	WantCode(t, "ack of an acknowledged message", alice.Ack(ctx, q, q.RecipientID), "NO_MSG")
}

func testRedeliveryAfterResubscribe(t *testing.T, tg Target) {
	ctx := Ctx(t)
	alice, bob := NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	Must(t, err)
	Must(t, bob.Send(ctx, q.SenderID, nil, []byte("hello"))) // unsecured queue: no key needed
	m := Next[relayclient.Message](t, alice)
	for _, err := range alice.Subscribe(ctx, []relayclient.RecipientQueue{q}) {
		Must(t, err)
	}
	m2 := Next[relayclient.Message](t, alice)
	if !bytes.Equal(m.MsgID, m2.MsgID) || string(m2.Body) != "hello" {
		t.Fatalf("re-delivered %q %x, want the same message", m2.Body, m2.MsgID)
	}
	Must(t, alice.Ack(ctx, q, m2.MsgID))
}

func testSecondSubscriberEndsFirst(t *testing.T, tg Target) {
	ctx := Ctx(t)
	tab1, tab2, bob := NewClient(t, tg.URL), NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := tab1.CreateQueue(ctx)
	Must(t, err)
	Must(t, tab2.Subscribe(ctx, []relayclient.RecipientQueue{q})[0])
	end := Next[relayclient.End](t, tab1)
	if !bytes.Equal(end.RecipientID, q.RecipientID) {
		t.Fatal("END for another queue")
	}
	Must(t, bob.Send(ctx, q.SenderID, nil, []byte("to the new tab")))
	if m := Next[relayclient.Message](t, tab2); string(m.Body) != "to the new tab" {
		t.Fatalf("got %q", m.Body)
	}
	// tab1 deletes the queue: tab2, still subscribed, is told.
	Must(t, tab1.Delete(ctx, q))
	if d := Next[relayclient.QueueDeleted](t, tab2); !bytes.Equal(d.RecipientID, q.RecipientID) {
		t.Fatal("DELD for another queue")
	}
	WantCode(t, "send to deleted queue", bob.Send(ctx, q.SenderID, nil, []byte("x")), "AUTH")
}

func testGetSuspendDelete(t *testing.T, tg Target) {
	ctx := Ctx(t)
	owner, poller, bob := NewClient(t, tg.URL), NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := owner.CreateQueue(ctx)
	Must(t, err)
	if m, err := poller.Get(ctx, q); m != nil || err != nil {
		t.Fatalf("get on empty queue: %v %v", m, err)
	}
	key := relayclient.NewSenderKey()
	Must(t, bob.Secure(ctx, q.SenderID, key))
	WantCode(t, "unauthenticated send to secured queue", bob.Send(ctx, q.SenderID, nil, []byte("x")), "AUTH")
	Must(t, bob.Send(ctx, q.SenderID, key, []byte("polled")))
	_ = Next[relayclient.Message](t, owner) // owner is subscribed (NEW subscribes)
	m, err := poller.Get(ctx, q)
	Must(t, err)
	if m == nil || string(m.Body) != "polled" {
		t.Fatalf("get: %+v", m)
	}
	WantCode(t, "GET on own subscription", func() error { _, err := owner.Get(ctx, q); return err }(), "CMD_PROHIBITED")
	Must(t, poller.Ack(ctx, q, m.MsgID))
	Must(t, owner.Suspend(ctx, q))
	WantCode(t, "send to suspended queue", bob.Send(ctx, q.SenderID, key, []byte("late")), "AUTH")
	Must(t, owner.Delete(ctx, q))
	WantCode(t, "get after delete", func() error { _, err := poller.Get(ctx, q); return err }(), "AUTH")
}

// The queue takes tg.Quota messages, then refuses until it is drained.
func testQuotaAndOversize(t *testing.T, tg Target) {
	ctx := Ctx(t)
	alice, bob := NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	Must(t, err)
	WantCode(t, "oversize", bob.Send(ctx, q.SenderID, nil, make([]byte, tg.MaxMsgSize+1)), "LARGE_MSG")
	Must(t, bob.Send(ctx, q.SenderID, nil, make([]byte, tg.MaxMsgSize)))
	for i := 1; i < tg.Quota; i++ {
		Must(t, bob.Send(ctx, q.SenderID, nil, fmt.Appendf(nil, "%d", i)))
	}
	WantCode(t, "full queue", bob.Send(ctx, q.SenderID, nil, []byte("one too many")), "QUOTA")
	for i := range tg.Quota {
		m := Next[relayclient.Message](t, alice)
		if i > 0 {
			WantCode(t, "queue not yet drained", bob.Send(ctx, q.SenderID, nil, []byte("x")), "QUOTA")
		}
		Must(t, alice.Ack(ctx, q, m.MsgID))
	}
	Must(t, bob.Send(ctx, q.SenderID, nil, []byte("after drain")))
	if m := Next[relayclient.Message](t, alice); string(m.Body) != "after drain" {
		t.Fatalf("got %q", m.Body)
	}
}
