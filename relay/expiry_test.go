package relay_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/store/storetest"
	"github.com/sxweb/sxweb/relay/wire"
)

// clock is the relay's time in these tests: it moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_700_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Messages older than the expiry are not delivered, also before an expiry
// pass deleted them; the pass then deletes exactly those.
func TestExpiredNeverDelivered(t *testing.T) {
	clk := newClock()
	r := relaytest.Start(t, relay.Config{Expiry: time.Hour, ExpireEvery: -1, Now: clk.Now})
	ctx := protosuite.Ctx(t)
	poller, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := poller.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("stale")))
	_ = protosuite.Next[relayclient.Message](t, poller) // delivered while fresh
	clk.Add(time.Hour + time.Millisecond)
	other := protosuite.NewClient(t, r.URL)
	if m, err := other.Get(ctx, q); m != nil || err != nil {
		t.Fatalf("expired message returned: %v %v", m, err)
	}
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("fresh")))
	if m, err := other.Get(ctx, q); err != nil || m == nil || string(m.Body) != "fresh" {
		t.Fatalf("fresh message: %v %v", m, err)
	}
	if n, err := r.Server().Expire(ctx); err != nil || n != 1 {
		t.Fatalf("expiry pass: %d %v, want 1 deleted", n, err)
	}
}

// A subscriber whose delivered message expires before it ACKs gets NO_MSG
// for the ACK and then the next message, without subscribing again.
func TestAckOfExpiredMessageDeliversNext(t *testing.T) {
	clk := newClock()
	r := relaytest.Start(t, relay.Config{Expiry: time.Hour, ExpireEvery: -1, Now: clk.Now})
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("old 1")))
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("old 2")))
	m := protosuite.Next[relayclient.Message](t, alice)
	clk.Add(2 * time.Hour)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("new")))
	if n, err := r.Server().Expire(ctx); err != nil || n != 2 {
		t.Fatalf("expiry pass: %d %v, want 2 deleted", n, err)
	}
	protosuite.WantCode(t, "ACK of an expired message", alice.Ack(ctx, q, m.MsgID), "NO_MSG")
	if m := protosuite.Next[relayclient.Message](t, alice); string(m.Body) != "new" {
		t.Fatalf("after the expired one: %q, want \"new\"", m.Body)
	}
}

// between calls a function before every batch of an expiry pass but the first.
type between struct {
	store.Store
	f       func(batch int)
	batches int
}

func (b *between) ExpireBatch(ctx context.Context, before int64, cur []byte, limit int) (int, []byte, error) {
	if cur != nil {
		b.f(b.batches)
	}
	b.batches++
	return b.Store.ExpireBatch(ctx, before, cur, limit)
}

// An expiry pass over many messages is many commits, and sends are
// committed and acknowledged while it runs (between its batches); the
// messages sent meanwhile are delivered, the expired ones never.
func TestSendsAcknowledgedDuringLargeExpiry(t *testing.T) {
	ctx := protosuite.Ctx(t)
	clk := newClock()
	bolt, err := store.OpenBolt(filepath.Join(t.TempDir(), "relay.db"))
	protosuite.Must(t, err)
	st := &between{Store: bolt}
	key, _ := wire.NewKeyPair()
	srv, err := relay.New(relay.Config{Store: st, AuthKey: key, Expiry: time.Hour, ExpireEvery: -1, Now: clk.Now})
	protosuite.Must(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); hs.Close() })
	url := "ws" + strings.TrimPrefix(hs.URL, "http")

	alice, bob := protosuite.NewClient(t, url), protosuite.NewClient(t, url)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("old")))
	_ = protosuite.Next[relayclient.Message](t, alice) // delivered, never acknowledged
	const queues, perQueue = 100, 50                   // 5,000 messages to expire
	storetest.Fill(t, bolt, queues, perQueue, clk.Now().UnixMilli())
	clk.Add(2 * time.Hour)

	var sent []string
	st.f = func(batch int) {
		body := fmt.Sprintf("sent during batch %d", batch)
		protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte(body))) // OK: committed
		sent = append(sent, body)
	}
	n, err := srv.Expire(ctx)
	protosuite.Must(t, err)
	if want := queues*perQueue + 1; n != want {
		t.Fatalf("expired %d, want %d", n, want)
	}
	if len(sent) < 4 {
		t.Fatalf("%d sends during the pass: it was not split into commits", len(sent))
	}
	// A new subscriber gets what was sent during the pass, in order, and
	// never the expired message.
	alice.Close()
	carol := protosuite.NewClient(t, url)
	protosuite.Must(t, carol.Subscribe(ctx, []relayclient.RecipientQueue{q})[0])
	for _, want := range sent {
		m := protosuite.Next[relayclient.Message](t, carol)
		if string(m.Body) != want {
			t.Fatalf("got %q, want %q", m.Body, want)
		}
		protosuite.Must(t, carol.Ack(ctx, q, m.MsgID))
	}
}
