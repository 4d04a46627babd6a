package relay_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// A queue neither subscribed, read nor sent to for the queue expiry is
// deleted with its messages: its sender and recipient then get AUTH.
// Queues subscribed all along, polled with GET and sent to are kept, for
// as long as that goes on.
func TestIdleQueuesExpire(t *testing.T) {
	const week = 7 * 24 * time.Hour
	clk := newClock()
	lim := relay.Unlimited()
	lim.QueueExpiry = week
	r := relaytest.Start(t, relay.Config{Limits: lim, ExpireEvery: -1, Expiry: 100 * week, Now: clk.Now})
	ctx := protosuite.Ctx(t)
	gone, bob, keeper := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	idle, err := gone.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.Must(t, bob.Send(ctx, idle.SenderID, nil, []byte("never read")))
	polled, err := gone.CreateQueue(ctx)
	protosuite.Must(t, err)
	sentTo, err := gone.CreateQueue(ctx)
	protosuite.Must(t, err)
	gone.Close()
	held, err := keeper.CreateQueue(ctx)
	protosuite.Must(t, err)
	poller := protosuite.NewClient(t, r.URL)

	// Passes a little under a week apart: the idle queue goes at the
	// second, when a week has passed since the end of its last day.
	for i, want := range []int{0, 1, 0, 0} {
		clk.Add(week - time.Hour)
		if _, err := poller.Get(ctx, polled); err != nil {
			t.Fatal(err)
		}
		protosuite.Must(t, bob.Send(ctx, sentTo.SenderID, nil, []byte("keeps it")))
		n, err := r.Server().ExpireQueues(ctx)
		protosuite.Must(t, err)
		if n != want {
			t.Fatalf("pass %d: %d queues expired, want %d", i, n, want)
		}
	}
	protosuite.WantCode(t, "SEND to the expired queue", bob.Send(ctx, idle.SenderID, nil, []byte("x")), "AUTH")
	protosuite.WantCode(t, "SUB to the expired queue", poller.Subscribe(ctx, []relayclient.RecipientQueue{idle})[0], "AUTH")
	protosuite.Must(t, bob.Send(ctx, held.SenderID, nil, []byte("to the subscriber")))
	if m := protosuite.Next[relayclient.Message](t, keeper); string(m.Body) != "to the subscriber" {
		t.Fatalf("subscriber got %q", m.Body)
	}
	if m, err := poller.Get(ctx, sentTo); err != nil || m == nil {
		t.Fatalf("queue sent to: %v %v", m, err)
	}
}
