package agent

import (
	"context"
	"testing"
)

func fakePair(t *testing.T) (*fakeNet, *party, *party) {
	n := newFakeNet()
	return n, newParty(t, "alice", "ws://relay-a", n.client), newParty(t, "bob", "ws://relay-b", n.client)
}

func TestInvitationHandshakeAndMessages(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, bc := connect(t, alice, bob)
	exchange(t, alice, ac, bob, bc, 50, nil)
	// every message is Sent, then Delivered (receipts)
	for _, p := range []*party{alice, bob} {
		p.waitCount(50, is[Delivered])
		p.waitCount(50, is[Sent])
	}
	if s := alice.a.Stats(); s.Connections != 1 || s.Subscriptions != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestContactAddress(t *testing.T) {
	_, alice, bob := fakePair(t)
	ctx := context.Background()
	// alice accepts inside her handler, in the same batch as the request
	addr, l, bc := joinAddress(t, alice, bob)
	req := nextOf[Request](alice)
	if req.ConnID != addr || string(req.ConnInfo) != "bob" {
		t.Fatalf("request %+v", req)
	}
	ca := nextOf[Connected](alice)
	cb := nextOf[Connected](bob)
	if cb.ConnID != bc || string(cb.ConnInfo) != "alice" || string(ca.ConnInfo) != "bob" {
		t.Fatalf("connected %+v %+v", ca, cb)
	}
	exchange(t, alice, ca.ConnID, bob, bc, 20, nil)
	// the address still takes requests
	carol := newParty(t, "carol", "ws://relay-b", bob.mk)
	if _, err := carol.a.Join(ctx, l, []byte("carol")); err != nil {
		t.Fatal(err)
	}
	nextOf[Connected](carol)
}

func TestSendWhilePending(t *testing.T) {
	_, alice, bob := fakePair(t)
	ctx := context.Background()
	ic, l, _ := alice.a.CreateInvitation(ctx)
	jc, err := bob.a.Join(ctx, l, []byte("bob"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if n, err := bob.a.Send(ctx, jc, []byte{byte('0' + i)}); err != nil || n != uint64(i+1) {
			t.Fatalf("Send while pending: %d, %v", n, err)
		}
	}
	conf := nextOf[Confirmation](alice)
	alice.a.Allow(ctx, ic, conf.ConfID, []byte("alice"))
	for i := range 5 {
		m := nextOf[Message](alice)
		if string(m.Body) != string(rune('0'+i)) {
			t.Fatalf("message %d = %q", i, m.Body)
		}
	}
}

func TestBadLink(t *testing.T) {
	_, _, bob := fakePair(t)
	for _, l := range []string{"", "https://sxweb.app/", "https://sxweb.app/#/join/AAAA", "not a url#/join/%%"} {
		if _, err := bob.a.Join(context.Background(), l, nil); ErrorCode(err) != CodeBadLink {
			t.Errorf("Join(%q) = %v, want BAD_LINK", l, err)
		}
	}
}

// JoinTx inside a handler: bob joins an invitation that arrives as a
// message, in the same commit as the message.
func TestJoinTxInsideHandler(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, _ := connect(t, alice, bob)
	ctx := context.Background()
	ic, l, err := alice.a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bob.setHook(func(ev Event, tx *Tx) error {
		if m, ok := ev.(Message); ok {
			_, err := tx.Join(string(m.Body), []byte("bob again"))
			return err
		}
		return nil
	})
	alice.a.Send(ctx, ac, []byte(l))
	conf := nextOf[Confirmation](alice)
	if conf.ConnID != ic || string(conf.ConnInfo) != "bob again" {
		t.Fatalf("confirmation %+v", conf)
	}
	if err := alice.a.Allow(ctx, ic, conf.ConfID, []byte("alice again")); err != nil {
		t.Fatal(err)
	}
	if c := nextOf[Connected](bob); string(c.ConnInfo) != "alice again" {
		t.Fatalf("connected %+v", c)
	}
	if err := alice.a.Allow(ctx, ic, conf.ConfID, nil); ErrorCode(err) == "" {
		t.Fatal("second Allow accepted")
	}
}
