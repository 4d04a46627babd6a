package agent

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// tapClient wraps a RelayClient and lets a test replay or tamper with
// what it sends.
type tapClient struct {
	RelayClient
	mu     sync.Mutex
	last   []byte // last body sent
	tamper bool   // flip a byte of the next Send
}

func (c *tapClient) Send(ctx context.Context, sid, key, body []byte) error {
	c.mu.Lock()
	if c.tamper {
		body = append([]byte{}, body...)
		body[len(body)-1] ^= 1
		c.tamper = false
	}
	c.last = append([]byte{}, body...)
	c.mu.Unlock()
	return c.RelayClient.Send(ctx, sid, key, body)
}

func tapped(mk func(string) RelayClient, taps map[string]*tapClient, mu *sync.Mutex) func(string) RelayClient {
	return func(server string) RelayClient {
		c := &tapClient{RelayClient: mk(server)}
		mu.Lock()
		taps[server] = c
		mu.Unlock()
		return c
	}
}

func TestReplayAndTamperReported(t *testing.T) {
	n := newFakeNet()
	testReplayAndTamper(t, n.client, "ws://relay-a", "ws://relay-b")
}

func TestRealRelayReplayAndTamperReported(t *testing.T) {
	testReplayAndTamper(t, realClient, startRelay(t), startRelay(t))
}

// testReplayAndTamper: alice's client lets the test replay and tamper
// with what she sends to bob's relay (relayB).
func testReplayAndTamper(t *testing.T, mk func(string) RelayClient, relayA, relayB string) {
	var mu sync.Mutex
	taps := map[string]*tapClient{}
	alice := newParty(t, "alice", relayA, tapped(mk, taps, &mu))
	bob := newParty(t, "bob", relayB, mk)
	ac, bc := connect(t, alice, bob)
	ctx := context.Background()
	alice.a.Send(ctx, ac, []byte("one"))
	if m := nextOf[Message](bob); string(m.Body) != "one" {
		t.Fatalf("got %q", m.Body)
	}
	mu.Lock()
	tap := taps[relayB]
	mu.Unlock()
	tap.mu.Lock()
	replay := tap.last
	tap.mu.Unlock()
	alice.a.Send(ctx, ac, []byte("one and a half"))
	nextOf[Message](bob)
	// replay: an earlier ciphertext sent again (with the sender's key)
	alice.a.mu.Lock()
	c := alice.a.conns[ac]
	alice.a.mu.Unlock()
	if err := tap.RelayClient.Send(ctx, c.Snd.SenderID, c.Snd.AuthKey, replay); err != nil {
		t.Fatal(err)
	}
	if in := nextOf[Integrity](bob); in.Kind != IntegrityDuplicate {
		t.Fatalf("replay reported as %+v", in)
	}
	// tamper: one flipped byte
	tap.mu.Lock()
	tap.tamper = true
	tap.mu.Unlock()
	alice.a.Send(ctx, ac, []byte("two"))
	if in := nextOf[Integrity](bob); in.Kind != IntegrityBadMessage {
		t.Fatalf("tampered message reported as %+v", in)
	}
	// the connection still works both ways; the lost message is a gap
	alice.a.Send(ctx, ac, []byte("three"))
	if in := nextOf[Integrity](bob); in.Kind != IntegritySkipped || in.FromNum != in.ToNum {
		t.Fatalf("gap reported as %+v", in)
	}
	if m := nextOf[Message](bob); string(m.Body) != "three" {
		t.Fatalf("got %q", m.Body)
	}
	bob.a.Send(ctx, bc, []byte("back"))
	if m := nextOf[Message](alice); string(m.Body) != "back" {
		t.Fatalf("got %q", m.Body)
	}
	if bob.count(is[Message]) != 3 {
		t.Fatalf("bob got %d messages", bob.count(is[Message]))
	}
	// what bob stored is intact: a new agent on his store carries on
	bob.a.Close()
	bob.start()
	alice.a.Send(ctx, ac, []byte("after restart"))
	if m := nextOf[Message](bob); string(m.Body) != "after restart" {
		t.Fatalf("got %q", m.Body)
	}
}

func TestRedeliveryNotDeliveredTwice(t *testing.T) {
	n, alice, bob := fakePair(t)
	ac, _ := connect(t, alice, bob)
	// bob's relay goes down and comes back: unacknowledged messages are
	// delivered again
	ctx := context.Background()
	for i := range 20 {
		alice.a.Send(ctx, ac, []byte{byte(i)})
		if i%5 == 0 {
			n.setDown("ws://relay-b", true)
			n.setDown("ws://relay-b", false)
		}
	}
	for i := range 20 {
		if m := nextOf[Message](bob); m.Body[0] != byte(i) {
			t.Fatalf("message %d is %v", i, m.Body)
		}
	}
	if k := bob.count(is[Integrity]); k != 0 {
		t.Fatalf("%d integrity events", k)
	}
}

// A handler error and a failed commit both make the same message come
// again; what commits is exactly one handler write per message.
func TestFailedCommitRetried(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, bc := connect(t, alice, bob)
	fail := errors.New("disk full")
	var calls int
	bob.setHook(func(ev Event, tx *Tx) error {
		m, ok := ev.(Message)
		if !ok {
			return nil
		}
		calls++
		v, _ := bob.st.Get(context.Background(), "c.count", string(m.Body))
		tx.Put("c.count", string(m.Body), append(v, 'x'))
		switch calls {
		case 1:
			return fail // transient: the same message comes again
		case 2:
			bob.st.FailApply = fail // the commit fails once too
		default:
			bob.st.FailApply = nil
		}
		return nil
	})
	alice.a.Send(context.Background(), ac, []byte("hi"))
	alice.a.Send(context.Background(), ac, []byte("next"))
	bob.next(func(ev Event) bool { m, ok := ev.(Message); return ok && string(m.Body) == "next" })
	bob.a.Send(context.Background(), bc, []byte("sync")) // commits after "next" did
	nextOf[Message](alice)
	for _, k := range []string{"hi", "next"} {
		if v, err := bob.st.Get(context.Background(), "c.count", k); err != nil || string(v) != "x" {
			t.Fatalf("%s committed %q times (%v)", k, v, err)
		}
	}
}

func TestRestartResumesOutboxAndConnections(t *testing.T) {
	n, alice, bob := fakePair(t)
	ac, bc := connect(t, alice, bob)
	ctx := context.Background()
	n.setDown("ws://relay-b", true) // alice cannot deliver
	for i := range 10 {
		alice.a.Send(ctx, ac, []byte{byte(i)})
	}
	if s := alice.a.Stats(); s.PendingOutbox == 0 {
		t.Fatal("outbox empty while the relay is down")
	}
	alice.a.Close()
	bob.a.Close()
	alice.start()
	bob.start()
	n.setDown("ws://relay-b", false)
	for i := range 10 {
		if m := nextOf[Message](bob); m.Body[0] != byte(i) || m.ConnID != bc {
			t.Fatalf("message %d is %v", i, m.Body)
		}
	}
	bob.a.Send(ctx, bc, []byte("after restart"))
	if m := nextOf[Message](alice); string(m.Body) != "after restart" {
		t.Fatalf("got %q", m.Body)
	}
	if s := bob.a.Stats(); s.Connections != 1 || s.Subscriptions != 1 {
		t.Fatalf("stats after restart %+v", s)
	}
}

func TestDelete(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, bc := connect(t, alice, bob)
	ctx := context.Background()
	if err := bob.a.Delete(ctx, bc); err != nil {
		t.Fatal(err)
	}
	nextOf[Deleted](bob)
	// The queue's DEL leaves after the deletion committed (an outbox entry).
	waitFor(t, "bob's DEL sent", func() bool { return bob.a.Stats().PendingOutbox == 0 })
	alice.a.Send(ctx, ac, []byte("to nobody"))
	if f := nextOf[SendFailed](alice); f.Code != "AUTH" || f.MsgNum != 1 {
		t.Fatalf("send to a deleted queue: %+v", f)
	}
	if bob.count(is[Message]) != 0 || bob.a.Stats().Connections != 0 {
		t.Fatal("deleted connection still receives")
	}
	if _, err := bob.a.Send(ctx, bc, []byte("x")); ErrorCode(err) != CodeNotFound {
		t.Fatalf("Send on deleted: %v", err)
	}
}

// An Update whose fn fails commits nothing of what it did: neither its
// store writes nor its sends (the message never leaves).
func TestUpdateFailureCommitsNothing(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, _ := connect(t, alice, bob)
	ctx := context.Background()
	boom := errors.New("boom")
	err := alice.a.Update(ctx, func(tx *Tx) error {
		tx.Put("c.x", "k", []byte("v"))
		if _, err := tx.Send(ac, []byte("never"), SendOptions{}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if _, err := alice.st.Get(ctx, "c.x", "k"); err == nil {
		t.Fatal("the failed Update's write committed")
	}
	if _, err := alice.a.Send(ctx, ac, []byte("after")); err != nil {
		t.Fatal(err)
	}
	if m := nextOf[Message](bob); string(m.Body) != "after" {
		t.Fatalf("bob got %q first, want the message after the failed Update", m.Body)
	}
}

// Both sides restart in the middle of the handshake: the joiner before
// its confirmation left, the inviter between Confirmation and Allow.
func TestRestartMidHandshake(t *testing.T) {
	n, alice, bob := fakePair(t)
	ctx := context.Background()
	ic, l, err := alice.a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n.setDown("ws://relay-a", true)
	jc, err := bob.a.Join(ctx, l, []byte("bob"))
	if err != nil {
		t.Fatal(err)
	}
	bob.a.Send(ctx, jc, []byte("queued before restart"))
	bob.a.Close()
	bob.start()
	n.setDown("ws://relay-a", false)
	conf := nextOf[Confirmation](alice)
	alice.a.Close()
	alice.start()
	if err := alice.a.Allow(ctx, ic, conf.ConfID, []byte("alice")); err != nil {
		t.Fatal(err)
	}
	nextOf[Connected](alice)
	if c := nextOf[Connected](bob); c.ConnID != jc || string(c.ConnInfo) != "alice" {
		t.Fatalf("connected %+v", c)
	}
	if m := nextOf[Message](alice); string(m.Body) != "queued before restart" {
		t.Fatalf("got %q", m.Body)
	}
}
