package cftest_test

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// A message its recipient never acknowledges expires by the queue's alarm
// in workerd: the next message then arrives without any action by the
// recipient (with expiry only on access it would wait behind the dead one).
func TestWorkerExpiryAlarm(t *testing.T) {
	needWorker(t)
	if testing.Short() {
		t.Skip("waits for an expiry")
	}
	const gap = 3 * time.Second // half the expiry below
	o := startOptions()
	o.NoBuild = true
	o.Vars["RELAY_EXPIRY_SECONDS"] = "6"
	w, err := cftest.Start(o)
	must(t, err)
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	alice, bob := dial(t, w.URL), dial(t, w.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("never acknowledged")))
	if m := nextMessage(t, ctx, alice); string(m.Body) != "never acknowledged" {
		t.Fatalf("got %q", m.Body)
	}
	time.Sleep(gap) // so the second message expires well after the first
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("after the expiry")))
	m := nextMessage(t, ctx, alice)
	if string(m.Body) != "after the expiry" {
		t.Fatalf("got %q", m.Body)
	}
	must(t, alice.Ack(ctx, q, m.MsgID))
}
