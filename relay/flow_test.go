package relay_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/wire"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/relaytest"
)

func TestRedeliveryAfterResubscribe(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	alice, bob := newClient(t, r.URL), newClient(t, r.URL)
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

func TestSecondSubscriberEndsFirst(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	tab1, tab2, bob := newClient(t, r.URL), newClient(t, r.URL), newClient(t, r.URL)
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

func TestGetSuspendDelete(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	owner, poller, bob := newClient(t, r.URL), newClient(t, r.URL), newClient(t, r.URL)
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

func TestQuotaAndOversize(t *testing.T) {
	r := relaytest.Start(t, relay.Config{Quota: 3, MaxMsgSize: 1000})
	ctx := ctxT(t)
	alice, bob := newClient(t, r.URL), newClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	wantCode(t, "oversize", bob.Send(ctx, q.SenderID, nil, make([]byte, 1001)), "LARGE_MSG")
	must(t, bob.Send(ctx, q.SenderID, nil, make([]byte, 1000)))
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("2")))
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("3")))
	wantCode(t, "full queue", bob.Send(ctx, q.SenderID, nil, []byte("4")), "QUOTA")
	for i := 0; i < 3; i++ {
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

// Messages older than the expiry are not delivered.
func TestExpiry(t *testing.T) {
	r := relaytest.Start(t, relay.Config{Expiry: 100 * time.Millisecond})
	ctx := ctxT(t)
	poller, bob := newClient(t, r.URL), newClient(t, r.URL)
	q, err := poller.CreateQueue(ctx)
	must(t, err)
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("stale")))
	_ = next[relayclient.Message](t, poller) // delivered while fresh
	time.Sleep(300 * time.Millisecond)
	other := newClient(t, r.URL)
	if m, err := other.Get(ctx, q); m != nil || err != nil {
		t.Fatalf("expired message returned: %v %v", m, err)
	}
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("fresh")))
	if m, err := other.Get(ctx, q); err != nil || m == nil || string(m.Body) != "fresh" {
		t.Fatalf("fresh message: %v %v", m, err)
	}
}

// A session that subscribes many queues holding large messages and reads
// slowly gets every one: deliveries beyond the session's push limit wait
// for its output to drain; they are not lost and the session is not dropped.
func TestManyLargePendingMessages(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	maker, bob := newClient(t, r.URL), newClient(t, r.URL)
	const n = 400 // 400 × 16 KB: more than socket buffers and the 1 MiB push limit
	var qs []relayclient.RecipientQueue
	for i := 0; i < n; i++ {
		q, err := maker.CreateQueue(ctx)
		must(t, err)
		qs = append(qs, q)
		must(t, bob.Send(ctx, q.SenderID, nil, bytes.Repeat([]byte{byte(i)}, relayclient.MaxBody)))
	}
	maker.Close()
	slow := dialRaw(t, r.URL)
	f := wire.AppendBatchHeader(nil)
	for _, q := range qs {
		mac, err := wire.MACKey(q.AuthKey, slow.h.AuthKey[:])
		must(t, err)
		f = wire.AppendTransmission(f, &wire.Transmission{EntityID: q.RecipientID, Code: wire.SUB}, wire.SignerFor(mac, slow.h.SessionID[:]))
	}
	slow.send(f)
	time.Sleep(300 * time.Millisecond) // not reading: the relay's output backs up
	msgs := map[string]bool{}
	for len(msgs) < n {
		for _, tr := range slow.recv() {
			if tr.Code == wire.MSG {
				msgs[string(tr.EntityID)] = true
			}
		}
	}
}
