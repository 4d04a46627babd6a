package relayclient_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/relaytest"
)

func TestSendDeliverAck(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	alice, bob := newClient(t, r.URL), newClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	if len(q.RecipientID) != 24 || len(q.SenderID) != 24 || bytes.Equal(q.RecipientID, q.SenderID) {
		t.Fatalf("ids %x %x", q.RecipientID, q.SenderID)
	}
	key := relayclient.NewSenderKey()
	must(t, bob.Secure(ctx, q.SenderID, key))
	must(t, bob.Secure(ctx, q.SenderID, key)) // a retried SKEY with the same key is fine
	must(t, bob.Send(ctx, q.SenderID, key, []byte("one")))
	must(t, bob.Send(ctx, q.SenderID, key, []byte("two")))
	m := next[relayclient.Message](t, alice)
	if string(m.Body) != "one" || !bytes.Equal(m.RecipientID, q.RecipientID) {
		t.Fatalf("got %q", m.Body)
	}
	noMessage(t, alice) // one at a time until ACK
	must(t, alice.Ack(ctx, q, m.MsgID))
	m2 := next[relayclient.Message](t, alice)
	if string(m2.Body) != "two" {
		t.Fatalf("got %q", m2.Body)
	}
	if err := alice.Ack(ctx, q, m.MsgID); !errors.Is(err, relayclient.ErrNoMsg) {
		t.Fatalf("ack of acked message: %v", err)
	}
	must(t, alice.Ack(ctx, q, m2.MsgID))
	must(t, alice.Ping(ctx))
}
