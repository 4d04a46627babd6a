package relay_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/relaytest"
	"github.com/sxweb/sxweb/relay/relaytest/protosuite"
)

// Messages older than the expiry are not delivered.
func TestExpiry(t *testing.T) {
	r := relaytest.Start(t, relay.Config{Expiry: 100 * time.Millisecond})
	ctx := protosuite.Ctx(t)
	poller, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := poller.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("stale")))
	_ = protosuite.Next[relayclient.Message](t, poller) // delivered while fresh
	time.Sleep(300 * time.Millisecond)
	other := protosuite.NewClient(t, r.URL)
	if m, err := other.Get(ctx, q); m != nil || err != nil {
		t.Fatalf("expired message returned: %v %v", m, err)
	}
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("fresh")))
	if m, err := other.Get(ctx, q); err != nil || m == nil || string(m.Body) != "fresh" {
		t.Fatalf("fresh message: %v %v", m, err)
	}
}
