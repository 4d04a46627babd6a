package agent

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestRestoredDropsWhatTheCopySealed: the copy is made while a message of
// alice is sealed and not yet sent (bob's relay is down); the original
// sends it once the relay is back. The restored copy does not send it a
// second time: bob never sees a ratchet key used twice (which would make
// him re-synchronize as if he had been restored), and alice' reports the
// message failed with CodeRestored, counted as unconfirmed by the sync.
func TestRestoredDropsWhatTheCopySealed(t *testing.T) {
	n := newFakeNet()
	alice := newParty(t, "alice", "ws://relay-a", n.client)
	bob := newParty(t, "bob", "ws://relay-b", n.client)
	ac, bc := connect(t, alice, bob)
	talk(t, alice, ac, bob, bc, "before", 2)
	n.setDown("ws://relay-b", true)
	num, err := alice.a.Send(context.Background(), ac, []byte("alice sealed before the copy"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the message sealed in the outbox", func() bool { return sealedOut(t, alice) == 1 })
	snap := alice.st.Clone()
	n.setDown("ws://relay-b", false)
	waitFor(t, "bob got it from the original", func() bool { return has(bob, bc, "alice sealed before the copy") })
	settle(t, alice, bob)
	alice.a.Close()

	alice2 := newPartyOn(t, "alice'", "ws://relay-a", n.client, snap, func(c *Config) { c.Restored = true })
	says(t, alice2, ac, "after the restore")
	waitFor(t, "bob heard the restored copy", func() bool { return has(bob, bc, "alice' after the restore") })
	says(t, bob, bc, "hello")
	waitFor(t, "alice' heard bob", func() bool { return has(alice2, ac, "bob hello") })
	if got := countPrefix(bob, bc, "alice sealed before the copy"); got != 1 {
		t.Fatalf("bob got the sealed message %d times", got)
	}
	alice2.mu.Lock()
	log := append([]Event(nil), alice2.log...)
	alice2.mu.Unlock()
	bob.mu.Lock()
	for _, ev := range bob.log {
		if in, ok := ev.(Integrity); ok {
			t.Errorf("bob: %+v (the copy sent what its original had sent)", in)
		}
	}
	bob.mu.Unlock()
	failed := 0
	for _, ev := range log {
		if f, ok := ev.(SendFailed); ok {
			if f.MsgNum != num || f.Code != CodeRestored {
				t.Errorf("alice': %+v, want message %d failed %s", f, num, CodeRestored)
			}
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("alice' reported %d failed messages, want 1", failed)
	}
	if d := dones(alice2); len(d) != 1 || d[0].Unconfirmed < 1 {
		t.Fatalf("alice': %+v, want one sync with the message unconfirmed", d)
	}
}

// sealedOut counts the ratchet-sealed messages in p's stored outbox.
func sealedOut(t *testing.T, p *party) int { return sealedOfKind(t, p, outMsg) }

// TestRestoredDuringItsSync: a copy made while the restored alice' waited
// for bob's answer to her sync request (so it holds that request's
// secret), opened after alice' got the answer and went on with the new
// ratchet. The answer is gone for it: it requests a sync anew, and both
// ways work again once bob's cooldown after the first sync allows (short
// here; a minute by default).
func TestRestoredDuringItsSync(t *testing.T) {
	n := newFakeNet()
	alice, bob, ac, bc, restore := staleCopy(t, n.client, "ws://relay-a", "ws://relay-b")
	alice.a.Close()
	n.setDown("ws://relay-a", true) // bob's answer waits in his outbox
	alice2 := restore(func(c *Config) { c.Restored = true })
	waitFor(t, "alice' requested", func() bool {
		st, err := alice2.a.SyncStatus(ac)
		return err == nil && st.State == syncRequested && sealedOfKind(t, alice2, outSync) == 0
	})
	snap := alice2.st.Clone()
	n.setDown("ws://relay-a", false)
	waitFor(t, "alice' synced", func() bool { return len(dones(alice2)) == 1 })
	says(t, alice2, ac, "on the new ratchet")
	waitFor(t, "bob heard alice'", func() bool { return has(bob, bc, "alice' on the new ratchet") })
	alice2.a.Close()
	bob.a.Close()
	bob.cfg = func(c *Config) { c.SyncInterval = 300 * time.Millisecond }
	bob.start()

	alice3 := newPartyOn(t, "alice''", "ws://relay-a", n.client, snap, func(c *Config) { c.Restored = true })
	says(t, alice3, ac, "from the second copy")
	waitFor(t, "bob heard the second copy", func() bool { return has(bob, bc, "alice'' from the second copy") })
	says(t, bob, bc, "hello again")
	waitFor(t, "the second copy heard bob", func() bool { return has(alice3, ac, "bob hello again") })
}

// sealedOfKind counts the sealed entries of kind in p's stored outbox.
func sealedOfKind(t *testing.T, p *party, kind string) int {
	kvs, err := p.st.List(context.Background(), bOutbox, "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, kv := range kvs {
		var it outItem
		if err := json.Unmarshal(kv.Value, &it); err == nil && it.Kind == kind && it.Sealed {
			n++
		}
	}
	return n
}
