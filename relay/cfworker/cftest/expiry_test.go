package cftest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// Expiry by alarm in workerd, on a Worker whose messages expire after 6 s
// and whose queues expire after 4 s idle (counted in seconds, not days).
func TestWorkerExpiry(t *testing.T) {
	needWorker(t)
	if testing.Short() {
		t.Skip("waits for expiries")
	}
	o := startOptions()
	o.NoBuild = true
	o.Vars["RELAY_EXPIRY_SECONDS"] = "6"
	o.Vars["RELAY_QUEUE_EXPIRY_SECONDS"] = "4"
	w, err := cftest.Start(o)
	must(t, err)
	defer w.Stop()
	t.Run("MessageAlarm", func(t *testing.T) { testMessageAlarm(t, w) })
	t.Run("IdleQueue", func(t *testing.T) { testIdleQueue(t, w) })
}

// A message its recipient never acknowledges expires by the queue's alarm:
// the next message then arrives without any action by the recipient (with
// expiry only on access it would wait behind the dead one). The queue is
// subscribed all along, so its idle alarms keep it.
func testMessageAlarm(t *testing.T, w *cftest.Worker) {
	const gap = 3 * time.Second // half the expiry
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

// A queue whose recipient left is deleted by its alarm once idle (its
// sender gets AUTH); one whose subscriber is still connected is kept
// (the queue asks the session's object whether it has its socket).
func testIdleQueue(t *testing.T, w *cftest.Worker) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	gone, keeper, bob := dial(t, w.URL), dial(t, w.URL), dial(t, w.URL)
	idle, err := gone.CreateQueue(ctx)
	must(t, err)
	held, err := keeper.CreateQueue(ctx)
	must(t, err)
	gone.Close()
	time.Sleep(8 * time.Second) // idle 4 s after the end of its second, and the alarm's slack
	if err := bob.Send(ctx, idle.SenderID, nil, []byte("x")); !errors.Is(err, relayclient.ErrAuth) {
		t.Fatalf("SEND to the idle queue: %v, want AUTH", err)
	}
	must(t, bob.Send(ctx, held.SenderID, nil, []byte("still here")))
	if m := nextMessage(t, ctx, keeper); string(m.Body) != "still here" {
		t.Fatalf("got %q", m.Body)
	}
}
