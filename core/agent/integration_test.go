package agent

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/relaytest"
	relaysrv "github.com/sxweb/sxweb/relay"
)

// realClient is the production relay client over a native WebSocket,
// with short reconnect backoff for tests.
func realClient(server string) RelayClient {
	return relayclient.New(server, wsdial.Dial,
		relayclient.Options{MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond})
}

// killDuring kill -9s and restarts the relay process each time p has
// received one of the given numbers of messages.
func killDuring(t *testing.T, proc *relaytest.Process, p *party, at ...int) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, n := range at {
			for p.count(is[Message]) < n {
				time.Sleep(5 * time.Millisecond)
			}
			proc.Kill()
			time.Sleep(100 * time.Millisecond)
			proc.Restart()
		}
	}()
	return done
}

func TestRealRelayInvitationThousandEachWayWithKills(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay process")
	}
	proc := relaytest.StartProcess(t)
	alice := newParty(t, "alice", proc.URL, realClient)
	bob := newParty(t, "bob", proc.URL, realClient)
	ac, bc := connect(t, alice, bob)
	done := killDuring(t, proc, bob, 300, 700)
	exchange(t, alice, ac, bob, bc, 1000, nil)
	<-done
	for _, p := range []*party{alice, bob} {
		p.waitCount(1000, is[Delivered])
		if k := p.count(is[Integrity]); k != 0 {
			t.Fatalf("%s: %d integrity events", p.name, k)
		}
	}
}

func TestRealRelayContactAddressThousandEachWayWithKills(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay process")
	}
	proc := relaytest.StartProcess(t)
	alice := newParty(t, "alice", proc.URL, realClient)
	bob := newParty(t, "bob", proc.URL, realClient)
	_, _, bc := joinAddress(t, alice, bob)
	ca := nextOf[Connected](alice)
	if cb := nextOf[Connected](bob); cb.ConnID != bc || string(cb.ConnInfo) != "alice" || string(ca.ConnInfo) != "bob" {
		t.Fatalf("connected %+v %+v", ca, cb)
	}
	done := killDuring(t, proc, alice, 500)
	exchange(t, alice, ca.ConnID, bob, bc, 1000, nil)
	<-done
}

func TestRealRelayAgentRestartResumesOutbox(t *testing.T) {
	r := relaytest.Start(t, relayConfig())
	alice := newParty(t, "alice", r.URL, realClient)
	bob := newParty(t, "bob", r.URL, realClient)
	ac, bc := connect(t, alice, bob)
	ctx := context.Background()
	for i := range 100 {
		if _, err := alice.a.Send(ctx, ac, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	alice.a.Close() // most of the outbox is still pending
	alice.start()
	for i := range 100 {
		if m := nextOf[Message](bob); m.Body[0] != byte(i) {
			t.Fatalf("message %d is %v", i, m.Body)
		}
	}
	bob.a.Send(ctx, bc, []byte("hello again"))
	if m := nextOf[Message](alice); string(m.Body) != "hello again" {
		t.Fatalf("got %q", m.Body)
	}
	if k := bob.count(is[Integrity]); k != 0 {
		t.Fatalf("%d integrity events", k)
	}
}

func TestRealRelayBadLink(t *testing.T) {
	r := relaytest.Start(t, relayConfig())
	bob := newParty(t, "bob", r.URL, realClient)
	_, l, err := bob.a.CreateInvitation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{l[:len(l)-10], l + "A", l[:len(l)-4] + "!!!!"} {
		if _, err := bob.a.Join(context.Background(), bad, nil); ErrorCode(err) != CodeBadLink {
			t.Errorf("Join(malformed) = %v, want BAD_LINK", err)
		}
	}
}

func relayConfig() relaysrv.Config { return relaysrv.Config{} }

func startRelay(t testing.TB) string { return relaytest.Start(t, relayConfig()).URL }
