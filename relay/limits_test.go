package relay_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/store/storetest"
	"github.com/sxweb/sxweb/relay/wire"
)

// createUntil creates queues until the relay refuses one and returns how
// many it created and the refusal.
func createUntil(t *testing.T, c *relayclient.Client, max int) ([]relayclient.RecipientQueue, error) {
	t.Helper()
	var qs []relayclient.RecipientQueue
	for len(qs) < max {
		q, err := c.CreateQueue(protosuite.Ctx(t))
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// A session may create NewBurst queues at once, the address
// NewBurstPerAddr over all its sessions; past that NEW gets RATE, and
// nothing else of the session is affected.
func TestNewRateLimits(t *testing.T) {
	lim := relay.Unlimited()
	lim.NewBurst, lim.NewRate = 5, 0.001
	lim.NewBurstPerAddr, lim.NewRatePerAddr = 8, 0.001
	r := relaytest.Start(t, relay.Config{Limits: lim})
	a, b := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	qs, err := createUntil(t, a, 10)
	if len(qs) != 5 || !errors.Is(err, relayclient.ErrRate) {
		t.Fatalf("session: %d queues, then %v; want 5, then RATE", len(qs), err)
	}
	qb, err := createUntil(t, b, 10)
	if len(qb) != 3 || !errors.Is(err, relayclient.ErrRate) {
		t.Fatalf("second session of the address: %d queues, then %v; want 3, then RATE", len(qb), err)
	}
	ctx := protosuite.Ctx(t)
	protosuite.Must(t, b.Send(ctx, qs[0].SenderID, nil, []byte("still works")))
	if m := protosuite.Next[relayclient.Message](t, a); string(m.Body) != "still works" {
		t.Fatalf("got %q", m.Body)
	}
}

// The allowance refills at NewRate per second.
func TestNewRateRefills(t *testing.T) {
	lim := relay.Unlimited()
	// One NEW a second: creating the burst takes far less than a second
	// even on a loaded machine, so no token refills meanwhile.
	lim.NewBurst, lim.NewRate = 2, 1
	r := relaytest.Start(t, relay.Config{Limits: lim})
	c := protosuite.NewClient(t, r.URL)
	if qs, err := createUntil(t, c, 10); len(qs) != 2 || !errors.Is(err, relayclient.ErrRate) {
		t.Fatalf("%d queues, then %v", len(qs), err)
	}
	time.Sleep(3 * time.Second) // 3 NEWs' worth, capped at the burst of 2
	if qs, err := createUntil(t, c, 10); len(qs) != 2 || !errors.Is(err, relayclient.ErrRate) {
		t.Fatalf("after refilling: %d queues, then %v", len(qs), err)
	}
}

// A session holds at most MaxSubs subscriptions (a NEW subscribes), an
// address MaxSubsPerAddr; what a session releases (DEL, another session
// taking a queue over) can be used again, and taking a queue over from a
// session of the same address is not refused.
func TestSubscriptionLimits(t *testing.T) {
	lim := relay.Unlimited()
	lim.MaxSubs, lim.MaxSubsPerAddr = 3, 5
	r := relaytest.Start(t, relay.Config{Limits: lim})
	ctx := protosuite.Ctx(t)
	a, b := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	qa, err := createUntil(t, a, 10)
	if len(qa) != 3 || !errors.Is(err, relayclient.ErrLimit) {
		t.Fatalf("session: %d queues, then %v; want 3, then LIMIT", len(qa), err)
	}
	qb, err := createUntil(t, b, 10)
	if len(qb) != 2 || !errors.Is(err, relayclient.ErrLimit) {
		t.Fatalf("address: %d more queues, then %v; want 2, then LIMIT", len(qb), err)
	}
	// b takes one of a's queues over: the address still holds 5.
	protosuite.Must(t, b.Subscribe(ctx, []relayclient.RecipientQueue{qa[0]})[0])
	_ = protosuite.Next[relayclient.End](t, a)
	protosuite.WantCode(t, "b over its own limit", b.Subscribe(ctx, []relayclient.RecipientQueue{qa[1]})[0], "LIMIT")
	protosuite.Must(t, a.Delete(ctx, qa[1]))
	if _, err := a.CreateQueue(ctx); err != nil {
		t.Fatalf("after a DEL: %v", err)
	}
}

// At MaxConnsPerAddr open connections, the next one from that address is
// closed at once; a closed one frees its place.
func TestConnectionsPerAddress(t *testing.T) {
	lim := relay.Unlimited()
	lim.MaxConnsPerAddr = 3
	r := relaytest.Start(t, relay.Config{Limits: lim})
	ctx := protosuite.Ctx(t)
	var conns []relayclient.Conn
	for range 3 {
		c, err := wsdial.Dial(ctx, r.URL)
		protosuite.Must(t, err)
		conns = append(conns, c)
	}
	if c, err := wsdial.Dial(ctx, r.URL); err == nil {
		if _, err := c.Read(ctx); err == nil {
			t.Fatal("a fourth connection from the address was served")
		}
		c.Close()
	}
	conns[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := wsdial.Dial(ctx, r.URL)
		if err == nil {
			if _, err = c.Read(ctx); err == nil {
				c.Close()
				break
			}
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed connection's place was not freed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range conns[1:] {
		c.Close()
	}
}

// A WebSocket that does not send its client hello is closed after
// HandshakeTimeout, long before the idle timeout.
func TestHandshakeDeadline(t *testing.T) {
	lim := relay.Unlimited()
	lim.HandshakeTimeout = 300 * time.Millisecond
	r := relaytest.Start(t, relay.Config{Limits: lim})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := wsdial.Dial(ctx, r.URL)
	protosuite.Must(t, err)
	defer c.Close()
	if _, err := c.Read(ctx); err != nil {
		t.Fatalf("server hello: %v", err)
	}
	start := time.Now()
	if _, err := c.Read(ctx); err == nil {
		t.Fatal("got a frame instead of a close")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("closed after %v", d)
	}
}

// What the default limits must let through: a browser joining a
// 1,000-member group creates 1,000 queues at once, and after a relay
// restart one client resubscribes 10,000 queues at once.
func TestLegitimateUseFits(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 11,000 queues")
	}
	defaults := relay.Config{Limits: relay.Limits{RequestTimeout: relay.DefaultRequestTimeout}}
	r := relaytest.Start(t, defaults)
	ctx := protosuite.Ctx(t)
	joiner := protosuite.NewClient(t, r.URL)
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for range 1000 { // all at once, as a client does on joining
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := joiner.CreateQueue(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("joining a 1,000-member group: %v", err)
	}

	// 10,000 queues made over time (put straight into a store), and one
	// client resubscribing them all at once after the relay started.
	dir := t.TempDir()
	qs := storeQueues(t, dir, 10_000)
	srv, err := relay.Open(dir, defaults)
	protosuite.Must(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); hs.Close() })
	fresh := protosuite.NewClient(t, "ws"+strings.TrimPrefix(hs.URL, "http"))
	for i, err := range fresh.Subscribe(ctx, qs) {
		if err != nil {
			t.Fatalf("resubscribing %d queues at once: queue %d: %v", len(qs), i, err)
		}
	}
}

// storeQueues writes n queues into the store in dir (with the relay's
// key there) and returns what their recipient keeps of them.
func storeQueues(t *testing.T, dir string, n int) []relayclient.RecipientQueue {
	key, err := relay.LoadOrCreateKey(filepath.Join(dir, "auth.key"))
	protosuite.Must(t, err)
	relayPub, _ := wire.PublicKey(key)
	st, err := store.OpenBolt(filepath.Join(dir, "relay.db"))
	protosuite.Must(t, err)
	defer st.Close()
	qs := make([]relayclient.RecipientQueue, n)
	var wg sync.WaitGroup
	for w := range 500 { // writers share group commits (few fsyncs)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 500 {
				priv, pub := wire.NewKeyPair()
				mac, _ := wire.MACKey(priv, relayPub)
				q := storetest.NewQueue()
				q.RecipientKey, q.RecipientMAC = pub, mac
				protosuite.Must(t, st.Create(context.Background(), q))
				qs[i] = relayclient.RecipientQueue{RecipientID: q.RecipientID, SenderID: q.SenderID, AuthKey: priv}
			}
		}()
	}
	wg.Wait()
	return qs
}

// The request deadline ends at the upgrade: a WebSocket session lives on
// past it (the server clears a hijacked connection's deadlines).
func TestWebSocketOutlivesRequestDeadline(t *testing.T) {
	lim := relay.Unlimited()
	lim.RequestTimeout = 200 * time.Millisecond
	r := relaytest.Start(t, relay.Config{Limits: lim})
	c := protosuite.NewClient(t, r.URL)
	ctx := protosuite.Ctx(t)
	protosuite.Must(t, c.Ping(ctx))
	time.Sleep(time.Second)
	protosuite.Must(t, c.Ping(ctx))
	for {
		ev, ok := c.Events().TryPop()
		if !ok {
			return
		}
		if d, ok := ev.(relayclient.Down); ok {
			t.Fatalf("session dropped: %v", d.Err)
		}
	}
}
