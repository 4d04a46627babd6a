package relayclient_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

func TestSendDeliverAck(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	if len(q.RecipientID) != 24 || len(q.SenderID) != 24 || bytes.Equal(q.RecipientID, q.SenderID) {
		t.Fatalf("ids %x %x", q.RecipientID, q.SenderID)
	}
	key := relayclient.NewSenderKey()
	protosuite.Must(t, bob.Secure(ctx, q.SenderID, key))
	protosuite.Must(t, bob.Secure(ctx, q.SenderID, key)) // a retried SKEY with the same key is fine
	protosuite.Must(t, bob.Send(ctx, q.SenderID, key, []byte("one")))
	protosuite.Must(t, bob.Send(ctx, q.SenderID, key, []byte("two")))
	m := protosuite.Next[relayclient.Message](t, alice)
	if string(m.Body) != "one" || !bytes.Equal(m.RecipientID, q.RecipientID) {
		t.Fatalf("got %q", m.Body)
	}
	protosuite.NoMessage(t, alice) // one at a time until ACK
	protosuite.Must(t, alice.Ack(ctx, q, m.MsgID))
	m2 := protosuite.Next[relayclient.Message](t, alice)
	if string(m2.Body) != "two" {
		t.Fatalf("got %q", m2.Body)
	}
	if err := alice.Ack(ctx, q, m.MsgID); !errors.Is(err, relayclient.ErrNoMsg) {
		t.Fatalf("ack of acked message: %v", err)
	}
	protosuite.Must(t, alice.Ack(ctx, q, m2.MsgID))
	protosuite.Must(t, alice.Ping(ctx))
}
