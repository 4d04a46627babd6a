package agent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/internal/relaytest"
)

// The scenarios of a stale restore: alice's store is copied (a backup),
// alice and bob go on talking, and a new agent opens the copy (alice'):
// its ratchet and message chain are older than bob's.

// dumpLog logs p's events (on a failure).
func dumpLog(t *testing.T, p *party) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ev := range p.log {
		if m, ok := ev.(Message); ok {
			t.Logf("%s: Message %d %q", p.name, m.MsgNum, m.Body)
			continue
		}
		t.Logf("%s: %T %+v", p.name, ev, ev)
	}
}

func isDone(ev Event) bool { s, ok := ev.(RatchetSync); return ok && s.State == SyncDone }

func isStarted(ev Event) bool { s, ok := ev.(RatchetSync); return ok && s.State == SyncStarted }

func isBadSync(ev Event) bool { in, ok := ev.(Integrity); return ok && in.Kind == IntegrityBadSync }

// says sends text on connID, in a transaction of its own.
func says(t testing.TB, p *party, connID, text string) {
	t.Helper()
	if _, err := p.a.Send(context.Background(), connID, []byte(p.name+" "+text)); err != nil {
		t.Fatal(err)
	}
}

// received lists the bodies p was delivered on connID, in order.
func received(p *party, connID string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, ev := range p.log {
		if m, ok := ev.(Message); ok && m.ConnID == connID {
			out = append(out, string(m.Body))
		}
	}
	return out
}

func has(p *party, connID, body string) bool {
	for _, b := range received(p, connID) {
		if b == body {
			return true
		}
	}
	return false
}

func countPrefix(p *party, connID, prefix string) int {
	n := 0
	for _, b := range received(p, connID) {
		if strings.HasPrefix(b, prefix) {
			n++
		}
	}
	return n
}

// dones returns p's completed re-synchronizations.
func dones(p *party) []RatchetSync {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []RatchetSync
	for _, ev := range p.log {
		if isDone(ev) {
			out = append(out, ev.(RatchetSync))
		}
	}
	return out
}

// talk sends n messages each way and waits until both sides have them and
// every receipt went out (nothing stays in an outbox).
func talk(t testing.TB, p1 *party, c1 string, p2 *party, c2 string, tag string, n int) {
	t.Helper()
	for i := range n {
		says(t, p1, c1, fmt.Sprintf("%s %d", tag, i))
		says(t, p2, c2, fmt.Sprintf("%s %d", tag, i))
	}
	for i := range n {
		waitFor(t, "messages across", func() bool {
			return has(p2, c2, fmt.Sprintf("%s %s %d", p1.name, tag, i)) && has(p1, c1, fmt.Sprintf("%s %s %d", p2.name, tag, i))
		})
	}
	settle(t, p1, p2)
}

// settle waits until the parties' outboxes are empty and no receipt waits
// to be sent: a copy of the store taken then is what the agent would
// still send from.
func settle(t testing.TB, ps ...*party) {
	t.Helper()
	waitFor(t, "outboxes empty", func() bool {
		for _, p := range ps {
			if p.a.Stats().PendingOutbox != 0 || p.rcptsWaiting() {
				return false
			}
		}
		return true
	})
}

func (p *party) rcptsWaiting() bool {
	p.a.mu.Lock()
	defer p.a.mu.Unlock()
	for _, c := range p.a.conns {
		if len(c.Rcpts) > 0 {
			return true
		}
	}
	return false
}

func noDuplicates(t testing.TB, p *party, connID string) {
	t.Helper()
	seen := map[string]bool{}
	for _, b := range received(p, connID) {
		if seen[b] {
			t.Fatalf("%s: %q delivered twice", p.name, b)
		}
		seen[b] = true
	}
}

// staleCopy connects alice and bob, takes a copy of alice's store after
// some talk, and lets them talk on: the copy is older than bob's state.
func staleCopy(t testing.TB, mk func(string) RelayClient, relayA, relayB string) (alice, bob *party, ac, bc string, restore func(cfg func(*Config)) *party) {
	alice = newParty(t, "alice", relayA, mk)
	bob = newParty(t, "bob", relayB, mk)
	ac, bc = connect(t, alice, bob)
	talk(t, alice, ac, bob, bc, "before", 5)
	snap := alice.st.Clone()
	talk(t, alice, ac, bob, bc, "after", 10)
	// two round trips: each side's sending chain now starts from a key of
	// the other made after the copy, so neither ratchet of the copy can
	// read the peer (otherwise one direction may still work by chance)
	for i := range 2 {
		says(t, alice, ac, fmt.Sprintf("ping %d", i))
		waitFor(t, "ping", func() bool { return has(bob, bc, fmt.Sprintf("alice ping %d", i)) })
		says(t, bob, bc, fmt.Sprintf("pong %d", i))
		waitFor(t, "pong", func() bool { return has(alice, ac, fmt.Sprintf("bob pong %d", i)) })
	}
	settle(t, alice, bob)
	return alice, bob, ac, bc, func(cfg func(*Config)) *party { return newPartyOn(t, "alice'", relayA, mk, snap, cfg) }
}

// tookByOld is how many of bob's messages the old copy of alice took after
// the backup (staleCopy).
const tookByOld = 10 + 2

func TestStaleRestoreResyncs(t *testing.T) {
	n := newFakeNet()
	testStaleRestore(t, n.client, "ws://relay-a", "ws://relay-b")
}

func TestRealRelayStaleRestoreResyncs(t *testing.T) {
	testStaleRestore(t, realClient, startRelay(t), startRelay(t))
}

// testStaleRestore: alice' and bob both write at once after the restore;
// the connection re-synchronizes by itself, every message written after
// the restore is delivered once or counted as lost, and both ways work.
func testStaleRestore(t *testing.T, mk func(string) RelayClient, relayA, relayB string) time.Duration {
	alice, bob, ac, bc, restore := staleCopy(t, mk, relayA, relayB)
	alice.a.Close()
	start := time.Now()
	alice2 := restore(nil)
	const k = 3
	for i := range k {
		says(t, alice2, ac, fmt.Sprintf("stale %d", i))
		says(t, bob, bc, fmt.Sprintf("fresh %d", i))
	}
	waitFor(t, "re-synchronized", func() bool { return len(dones(alice2)) > 0 && len(dones(bob)) > 0 })
	says(t, alice2, ac, "again")
	says(t, bob, bc, "again")
	waitFor(t, "both ways", func() bool { return has(bob, bc, "alice' again") && has(alice2, ac, "bob again") })
	took := time.Since(start)
	talk(t, alice2, ac, bob, bc, "later", 5)
	for _, p := range []struct {
		p    *party
		conn string
		from string
		sent int
	}{{bob, bc, "alice' stale", k}, {alice2, ac, "bob fresh", k}} {
		ds := dones(p.p)
		if len(ds) != 1 {
			t.Fatalf("%s: %d re-synchronizations %+v", p.p.name, len(ds), ds)
		}
		noDuplicates(t, p.p, p.conn)
		// what was written after the restore is delivered or counted lost;
		// alice' also lost what the old copy took
		want := p.sent
		if p.p == alice2 {
			want += tookByOld
		}
		if got := countPrefix(p.p, p.conn, p.from) + ds[0].Lost; got != want {
			dumpLog(t, bob)
			dumpLog(t, alice2)
			t.Fatalf("%s: %d of %q delivered + %d lost, want %d", p.p.name, countPrefix(p.p, p.conn, p.from), p.from, ds[0].Lost, want)
		}
	}
	if has(alice2, ac, "bob after 0") {
		t.Fatal("alice' got a message the old copy took")
	}
	// no false delivery report: bob's receipts for the old copy's messages
	// name numbers alice' used again
	alice2.mu.Lock()
	for _, ev := range alice2.log {
		if d, ok := ev.(Delivered); ok && d.MsgNum > 5 && d.MsgNum <= 5+k && !has(bob, bc, fmt.Sprintf("alice' stale %d", d.MsgNum-6)) {
			t.Errorf("alice': message %d reported delivered, bob never got it", d.MsgNum)
		}
	}
	alice2.mu.Unlock()
	t.Logf("restore to both ways working: %v; lost: bob %d, alice' %d", took, dones(bob)[0].Lost, dones(alice2)[0].Lost)
	return took
}

func TestSimultaneousResync(t *testing.T) {
	n := newFakeNet()
	testCrossingRequests(t, n.client, "ws://relay-a", "ws://relay-b", func(down bool) {
		n.setDown("ws://relay-a", down)
		n.setDown("ws://relay-b", down)
	})
}

func TestRealRelaySimultaneousResync(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay process")
	}
	proc := relaytest.StartProcess(t)
	testCrossingRequests(t, realClient, proc.URL, proc.URL, func(down bool) {
		if down {
			proc.Kill()
		} else {
			proc.Restart()
		}
	})
}

// testCrossingRequests: both sides write with their old ratchets while the
// relays are away, so each detects the other's stale message and sends a
// request before it can see the other's: the requests cross, one of them
// stands (the lower hash), and both converge on it.
func testCrossingRequests(t *testing.T, mk func(string) RelayClient, relayA, relayB string, down func(bool)) {
	alice, bob, ac, bc, restore := staleCopy(t, mk, relayA, relayB)
	alice.a.Close()
	down(true)
	says(t, bob, bc, "fresh")
	alice2 := restore(nil)
	says(t, alice2, ac, "stale")
	down(false)
	waitFor(t, "both re-synchronized", func() bool { return len(dones(alice2)) == 1 && len(dones(bob)) == 1 })
	if alice2.count(isStarted) != 1 || bob.count(isStarted) != 1 {
		t.Fatalf("requests: alice' %d, bob %d; want one each (crossing)", alice2.count(isStarted), bob.count(isStarted))
	}
	talk(t, alice2, ac, bob, bc, "later", 5)
	for _, p := range []*party{alice2, bob} {
		if k := len(dones(p)); k != 1 {
			t.Fatalf("%s: %d re-synchronizations", p.name, k)
		}
	}
	noDuplicates(t, bob, bc)
	noDuplicates(t, alice2, ac)
}

// crashStore fails every Apply once crashed: what landed before is all a
// restarted agent finds (a process killed at that moment).
type crashStore struct {
	store.Store
	crashed atomic.Bool
}

var errCrashed = fmt.Errorf("crashed")

func (s *crashStore) Apply(ctx context.Context, b *store.Batch) error {
	if s.crashed.Load() {
		return errCrashed
	}
	return s.Store.Apply(ctx, b)
}

// crashable makes p's agent run on a crashStore (a new one at each start).
func crashable(p *party) func() *crashStore {
	var mu sync.Mutex
	var cur *crashStore
	p.cfg = func(c *Config) {
		mu.Lock()
		defer mu.Unlock()
		cur = &crashStore{Store: c.Store}
		c.Store = cur
	}
	return func() *crashStore {
		mu.Lock()
		defer mu.Unlock()
		return cur
	}
}

// crashAt makes p crash right after the commit of its first event that
// matches f; the returned channel closes then.
func crashAt(p *party, store func() *crashStore, f func(Event) bool) chan struct{} {
	crashed := make(chan struct{})
	var once sync.Once
	p.setHook(func(ev Event, tx *Tx) error {
		if f(ev) {
			st := store()
			tx.OnCommit(func() { once.Do(func() { st.crashed.Store(true); close(crashed) }) })
		}
		return nil
	})
	return crashed
}

func TestRealRelayCrashMidResync(t *testing.T) {
	r := startRelay(t)
	for _, tc := range []struct {
		name string
		who  string // which side crashes
		at   func(Event) bool
	}{
		{"requester after its request", "bob", isStarted},
		{"responder after its answer", "alice'", isDone},
		{"requester after the answer", "bob", isDone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alice, bob, ac, bc, restore := staleCopy(t, realClient, r, r)
			alice.a.Close()
			bobStore := crashable(bob)
			bob.a.Close()
			bob.start()
			alice2 := restore(nil)
			alice2Store := crashable(alice2)
			alice2.a.Close()
			alice2.start()
			victim, vs := bob, bobStore
			if tc.who == "alice'" {
				victim, vs = alice2, alice2Store
			}
			crashed := crashAt(victim, vs, tc.at)
			says(t, alice2, ac, "stale") // bob detects it and requests
			select {
			case <-crashed:
			case <-time.After(waitLimit):
				t.Fatal("no crash")
			}
			victim.a.Close()
			victim.setHook(nil)
			victim.start()
			waitFor(t, "re-synchronized", func() bool {
				return len(dones(alice2)) > 0 && len(dones(bob)) > 0 && !victim.syncing(victimConn(victim, alice2, ac, bc))
			})
			says(t, alice2, ac, "again")
			says(t, bob, bc, "again")
			waitFor(t, "both ways", func() bool { return has(bob, bc, "alice' again") && has(alice2, ac, "bob again") })
			noDuplicates(t, bob, bc)
			noDuplicates(t, alice2, ac)
		})
	}
}

func victimConn(victim, alice2 *party, ac, bc string) string {
	if victim == alice2 {
		return ac
	}
	return bc
}

// syncing: connID's re-synchronization is under way.
func (p *party) syncing(connID string) bool {
	st, err := p.a.SyncStatus(connID)
	return err != nil || st.State != ""
}

// peerKeys returns what p sends to the peer of connID with.
func peerKeys(p *party, connID string) sndQueue {
	p.a.mu.Lock()
	defer p.a.mu.Unlock()
	return *p.a.conns[connID].Snd
}

// forge boxes a sync message on p's connection and sends it straight to
// the peer's queue, as a hostile client (or the relay replaying) would.
func forge(t testing.TB, p *party, connID string, m *envelope.Sync) []byte {
	t.Helper()
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	inner, _ := (&envelope.Inner{Tag: envelope.InnerSync, Body: b}).Encode()
	s := peerKeys(p, connID)
	k, _ := envelope.Precompute(s.E2EPeer, s.E2EPriv)
	env, err := envelope.Seal(k, nil, inner)
	if err != nil {
		t.Fatal(err)
	}
	sendRaw(t, p, connID, env)
	return env
}

func sendRaw(t testing.TB, p *party, connID string, body []byte) {
	t.Helper()
	s := peerKeys(p, connID)
	if err := p.a.relay(s.Server).c.Send(context.Background(), s.SenderID, s.AuthKey, body); err != nil {
		t.Fatal(err)
	}
}

// recorder keeps every body a party's relay clients send.
type recorder struct {
	RelayClient
	mu   *sync.Mutex
	sent *[][]byte
}

func (c recorder) Send(ctx context.Context, sid, key, body []byte) error {
	c.mu.Lock()
	*c.sent = append(*c.sent, append([]byte(nil), body...))
	c.mu.Unlock()
	return c.RelayClient.Send(ctx, sid, key, body)
}

// syncSent returns the sync messages p sent on connID (envelopes opened
// with p's own side of the box), in order.
func syncSent(p *party, connID string, mu *sync.Mutex, sent *[][]byte) (envs [][]byte, msgs []*envelope.Sync) {
	s := peerKeys(p, connID)
	k, _ := envelope.Precompute(s.E2EPeer, s.E2EPriv)
	mu.Lock()
	defer mu.Unlock()
	for _, b := range *sent {
		e, err := envelope.Decode(b)
		if err != nil {
			continue
		}
		pt, err := envelope.Open(k, e)
		if err != nil {
			continue
		}
		if in, err := envelope.DecodeInner(pt); err == nil && in.Tag == envelope.InnerSync {
			m, _ := envelope.DecodeSync(in.Body)
			envs, msgs = append(envs, b), append(msgs, m)
		}
	}
	return envs, msgs
}

// freshKeys returns new, valid request keys.
func freshKeys(t testing.TB) []byte {
	_, keys, err := ratchet.NewInvitation()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := keys.MarshalBinary()
	return b
}

// TestRealRelayHostileSync: sync messages that are forged, replayed or
// unexpected are refused and counted, and a peer asking again and again is
// held to one re-synchronization per cooldown.
func TestRealRelayHostileSync(t *testing.T) {
	r := startRelay(t)
	var mu sync.Mutex
	var sent [][]byte
	rec := func(server string) RelayClient {
		return recorder{RelayClient: realClient(server), mu: &mu, sent: &sent}
	}
	alice := newParty(t, "alice", r, realClient)
	bob := newParty(t, "bob", r, rec)
	bob.cfg = func(c *Config) { c.SyncInterval = time.Hour }
	bob.a.Close()
	bob.start()
	ac, bc := connect(t, alice, bob)
	talk(t, alice, ac, bob, bc, "hello", 3)
	rejected := func(p *party, connID string) int {
		st, err := p.a.SyncStatus(connID)
		if err != nil {
			t.Fatal(err)
		}
		return st.Rejected
	}

	// an answer to no request, and keys that are no keys
	hello := bytesOf(1, ratchet.JoinerHelloSize)
	forge(t, alice, ac, &envelope.Sync{Kind: envelope.SyncAnswer, Hello: hello})
	forge(t, alice, ac, &envelope.Sync{Kind: envelope.SyncKeys, Keys: []byte("no keys")})
	bob.waitCount(2, isBadSync)
	if k := rejected(bob, bc); k != 2 {
		t.Fatalf("bob refused %d, want 2", k)
	}
	talk(t, alice, ac, bob, bc, "still fine", 2)

	// a real re-synchronization: bob's own request (he cannot read alice)
	breakRatchet(t, bob, bc)
	waitFor(t, "re-synchronized", func() bool { return len(dones(alice)) == 1 && len(dones(bob)) == 1 })
	envs, msgs := syncSent(bob, bc, &mu, &sent)
	if len(envs) != 1 || msgs[0].Kind != envelope.SyncKeys {
		t.Fatalf("bob sent %d sync messages", len(envs))
	}
	talk(t, alice, ac, bob, bc, "after", 10) // the request leaves alice's seen record

	// the relay replays bob's request: alice refuses it
	sendRaw(t, bob, bc, envs[0])
	alice.waitCount(1, isBadSync)
	if k := rejected(alice, ac); k != 1 {
		t.Fatalf("alice refused %d, want 1", k)
	}
	talk(t, alice, ac, bob, bc, "after the replay", 2)

	// alice asks again and again: bob answers none within his cooldown
	for range 5 {
		forge(t, alice, ac, &envelope.Sync{Kind: envelope.SyncKeys, Keys: freshKeys(t)})
	}
	waitFor(t, "requests held back", func() bool {
		st, _ := bob.a.SyncStatus(bc)
		return st.Limited == 5
	})
	st, _ := bob.a.SyncStatus(bc)
	if st.State != syncRequired || len(dones(bob)) != 1 || bob.count(isStarted) != 1 {
		t.Fatalf("bob: %+v after %d syncs, %d requests", st, len(dones(bob)), bob.count(isStarted))
	}
}

// breakRatchet makes p's connection act as on a message its ratchet could
// not read.
func breakRatchet(t testing.TB, p *party, connID string) {
	t.Helper()
	if err := p.a.Update(context.Background(), func(tx *Tx) error {
		evs, err := tx.broken(tx.conn(connID), false, "test")
		for _, ev := range evs {
			if err := tx.handle(ev); err != nil {
				return err
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestSyncHeldBackThenStarted: a sync needed within the cooldown waits
// (required: nothing sealed, messages queue) and starts when it ends; the
// cooldown doubles with each sync of a streak.
func TestSyncHeldBackThenStarted(t *testing.T) {
	n := newFakeNet()
	short := func(c *Config) { c.SyncInterval = 300 * time.Millisecond }
	alice := newPartyOn(t, "alice", "ws://relay-a", n.client, nil, short)
	bob := newPartyOn(t, "bob", "ws://relay-b", n.client, nil, short)
	ac, bc := connect(t, alice, bob)
	streak := func() (int, time.Time) {
		bob.a.mu.Lock()
		defer bob.a.mu.Unlock()
		s := bob.a.conns[bc].Sync
		return s.Streak, s.At
	}
	breakRatchet(t, bob, bc)
	waitFor(t, "first sync", func() bool { return len(dones(bob)) == 1 })
	if k, _ := streak(); k != 1 {
		t.Fatalf("streak %d after one sync", k)
	}
	breakRatchet(t, bob, bc) // within the cooldown: held back
	if st, _ := bob.a.SyncStatus(bc); st.State != syncRequired || st.Limited != 1 {
		t.Fatalf("held back: %+v", st)
	}
	says(t, bob, bc, "queued meanwhile")
	waitFor(t, "second sync", func() bool { return len(dones(bob)) == 2 && len(dones(alice)) == 2 })
	k, at := streak()
	if k != 2 {
		t.Fatalf("streak %d after two syncs", k)
	}
	if due := bob.a.syncDue(bob.a.conns[bc].Sync, at); due.Sub(at) != 600*time.Millisecond {
		t.Fatalf("next cooldown %v, want 600ms", due.Sub(at))
	}
	waitFor(t, "the queued message", func() bool { return has(alice, ac, "bob queued meanwhile") })
	talk(t, alice, ac, bob, bc, "after", 3)
}

func bytesOf(b byte, n int) []byte { return []byte(strings.Repeat(string(rune(b)), n)) }

// TestSyncCooldownBoundsRequests: a peer sending requests without end gets
// one answer per cooldown, the cooldown doubling with each.
func TestSyncCooldownBoundsRequests(t *testing.T) {
	n := newFakeNet()
	alice := newParty(t, "alice", "ws://relay-a", n.client)
	bob := newPartyOn(t, "bob", "ws://relay-b", n.client, nil, func(c *Config) { c.SyncInterval = 100 * time.Millisecond })
	ac, bc := connect(t, alice, bob)
	talk(t, alice, ac, bob, bc, "hello", 2)
	start := time.Now()
	for time.Since(start) < time.Second {
		forge(t, alice, ac, &envelope.Sync{Kind: envelope.SyncKeys, Keys: freshKeys(t)})
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	// answered at once, then after 100, 200, 400 ms: 4 in the second, at most
	if k := len(dones(bob)); k < 2 || k > 4 {
		t.Fatalf("bob re-synchronized %d times in a second of requests every 10 ms", k)
	}
	st, _ := bob.a.SyncStatus(bc)
	if st.Limited < 50 {
		t.Fatalf("only %d requests held back", st.Limited)
	}
}

// TestRealRelayOldCopyLearnsItMoved: a copy of alice's store opens while
// alice runs. The relay ends alice's subscriptions; alice reports it once,
// sends nothing more on those connections and does not take them back,
// also when her relay connection comes back.
func TestRealRelayOldCopyLearnsItMoved(t *testing.T) {
	r := relaytest.Start(t, relayConfig())
	alice := newParty(t, "alice", r.URL, realClient)
	bob := newParty(t, "bob", r.URL, realClient)
	ac, bc := connect(t, alice, bob)
	talk(t, alice, ac, bob, bc, "hello", 3)
	subs := alice.a.Stats().Subscriptions
	alice2 := newPartyOn(t, "alice'", r.URL, realClient, alice.st.Clone(), nil)
	ev := nextOf[SubscriptionsEnded](alice)
	if ev.Server != r.URL || len(ev.ConnIDs) != 1 || ev.ConnIDs[0] != ac {
		t.Fatalf("ended %+v, want connection %s", ev, ac)
	}
	if st, _ := alice.a.SyncStatus(ac); !st.Moved {
		t.Fatal("alice's connection not marked as moved")
	}
	waitFor(t, "alice holds no subscription", func() bool { return alice.a.Stats().Subscriptions == subs-1 })
	says(t, alice, ac, "from the old copy")
	says(t, alice2, ac, "from the new copy")
	t.Cleanup(func() {
		if t.Failed() {
			dumpLog(t, bob)
			dumpLog(t, alice2)
			dumpLog(t, alice)
		}
	})
	waitFor(t, "bob hears the new copy", func() bool { return has(bob, bc, "alice' from the new copy") })
	says(t, bob, bc, "to whoever has it")
	waitFor(t, "the new copy hears bob", func() bool { return has(alice2, ac, "bob to whoever has it") })

	up1, up2 := alice.count(is[RelayUp]), alice2.count(is[RelayUp])
	r.Restart() // every client reconnects and subscribes what it holds
	waitFor(t, "both back", func() bool { return alice.count(is[RelayUp]) > up1 && alice2.count(is[RelayUp]) > up2 })
	talk(t, alice2, ac, bob, bc, "after the restart", 3)
	if k := alice2.count(is[SubscriptionsEnded]); k != 0 {
		t.Fatalf("the old copy took the queue back: the new one got %d SubscriptionsEnded", k)
	}
	if k := alice.count(is[SubscriptionsEnded]); k != 1 {
		t.Fatalf("alice got %d SubscriptionsEnded", k)
	}
	if has(bob, bc, "alice from the old copy") || alice.a.Stats().PendingOutbox == 0 {
		t.Fatal("the old copy sent on a connection it no longer holds")
	}
	for _, p := range []*party{alice2, bob} {
		if k := p.count(is[RatchetSync]); k != 0 {
			t.Fatalf("%s: %d re-synchronizations (the copies should not fight)", p.name, k)
		}
	}
}

// TestRealRelayRestoredResyncsFirst: a copy opened with Config.Restored,
// or whose store an import marked (RestoredMark), re-synchronizes every
// connection before it seals anything, so none of its ratchet keys is
// used a second time: bob decrypts all it writes and loses nothing;
// alice' counts what the old copy took. The mark is gone after.
func TestRealRelayRestoredResyncsFirst(t *testing.T) {
	t.Run("config", func(t *testing.T) { testRestoredResyncsFirst(t, func(c *Config) { c.Restored = true }) })
	t.Run("mark", func(t *testing.T) {
		testRestoredResyncsFirst(t, func(c *Config) {
			var b store.Batch
			b.Put(bMark, "restored", []byte{1})
			if err := c.Store.Apply(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func testRestoredResyncsFirst(t *testing.T, mark func(*Config)) {
	r := startRelay(t)
	alice, bob, ac, bc, restore := staleCopy(t, realClient, r, r)
	alice.a.Close()
	alice2 := restore(mark)
	mb, mk := RestoredMark()
	if _, err := alice2.st.Get(context.Background(), mb, mk); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the mark after Start: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			dumpLog(t, bob)
			dumpLog(t, alice2)
		}
	})
	says(t, alice2, ac, "first words") // waits for the new ratchet
	waitFor(t, "alice' heard", func() bool { return has(bob, bc, "alice' first words") })
	says(t, bob, bc, "hello")
	waitFor(t, "bob heard", func() bool { return has(alice2, ac, "bob hello") })
	for _, ev := range func() []Event { bob.mu.Lock(); defer bob.mu.Unlock(); return slices.Clone(bob.log) }() {
		if in, ok := ev.(Integrity); ok {
			t.Fatalf("bob: %+v (a key of the copy used twice?)", in)
		}
	}
	if d := dones(bob); len(d) != 1 || d[0].Lost != 0 {
		t.Fatalf("bob: %+v", d)
	}
	if d := dones(alice2); len(d) != 1 || d[0].Lost != tookByOld {
		t.Fatalf("alice': %+v, want %d lost", d, tookByOld)
	}
}

// BenchmarkRealRelayRestoreToBothWays measures, on a relay on 127.0.0.1,
// the time from opening a stale copy to a message delivered each way
// (both sides writing at once, so one or both detect it and the
// connection re-synchronizes by itself). The setup is not timed.
func BenchmarkRealRelayRestoreToBothWays(b *testing.B) {
	r := startRelay(b)
	var took, synced []time.Duration
	for i := range b.N {
		b.StopTimer()
		alice, bob, ac, bc, restore := staleCopy(b, realClient, r, r)
		alice.a.Close()
		b.StartTimer()
		start := time.Now()
		alice2 := restore(nil)
		says(b, alice2, ac, "hi")
		says(b, bob, bc, "hi")
		waitFor(b, "re-synchronized", func() bool { return len(dones(alice2)) > 0 && len(dones(bob)) > 0 })
		synced = append(synced, time.Since(start))
		says(b, alice2, ac, fmt.Sprintf("again %d", i))
		says(b, bob, bc, fmt.Sprintf("again %d", i))
		waitFor(b, "both ways", func() bool {
			return has(bob, bc, fmt.Sprintf("alice' again %d", i)) && has(alice2, ac, fmt.Sprintf("bob again %d", i))
		})
		took = append(took, time.Since(start))
		b.StopTimer()
		alice2.a.Close()
		bob.a.Close()
		b.StartTimer()
	}
	for _, m := range []struct {
		name string
		ds   []time.Duration
	}{{"synced", synced}, {"both-ways", took}} {
		slices.Sort(m.ds)
		b.ReportMetric(ms(m.ds[len(m.ds)/2]), m.name+"-p50-ms")
		b.ReportMetric(ms(m.ds[len(m.ds)*9/10]), m.name+"-p90-ms")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
