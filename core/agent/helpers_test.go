package agent

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/store/memstore"
)

// party is one agent under test with its events collected.
type party struct {
	t      testing.TB
	name   string
	a      *Agent
	st     *memstore.Store
	relay  string
	mk     func(string) RelayClient
	events chan Event
	mu     sync.Mutex
	log    []Event // every event, in order
	// hook, when set, runs inside the handler (may use the ...Tx methods).
	hook func(ev Event, tx *Tx) error
	// cfg, when set, adjusts the agent's configuration at each start.
	cfg func(*Config)
}

func newParty(t testing.TB, name, relay string, mk func(string) RelayClient) *party {
	return newPartyOn(t, name, relay, mk, memstore.New(), nil)
}

// newPartyOn starts a party on st (a copy of another party's store: a
// restored backup), with cfg adjusting its configuration.
func newPartyOn(t testing.TB, name, relay string, mk func(string) RelayClient, st *memstore.Store, cfg func(*Config)) *party {
	if st == nil {
		st = memstore.New()
	}
	p := &party{t: t, name: name, st: st, relay: relay, mk: mk, events: make(chan Event, 100000), cfg: cfg}
	p.start()
	return p
}

// start (re)creates the agent on the party's store.
func (p *party) start() {
	c := Config{Store: p.st, Relays: []string{p.relay}, NewRelay: p.mk,
		RetryMin: 5 * time.Millisecond, Logf: p.t.Logf, RetryMax: 200 * time.Millisecond, ReceiptDelay: 5 * time.Millisecond}
	if p.cfg != nil {
		p.cfg(&c)
	}
	a, err := New(c)
	if err != nil {
		p.t.Fatal(err)
	}
	a.SetHandler(func(tx *Tx, ev Event) error {
		p.mu.Lock()
		hook := p.hook
		p.mu.Unlock()
		if hook != nil {
			if err := hook(ev, tx); err != nil {
				return err
			}
		}
		tx.OnCommit(func() { // an attempt that does not commit is run again
			p.mu.Lock()
			p.log = append(p.log, ev)
			p.mu.Unlock()
			p.events <- ev
		})
		return nil
	})
	if err := a.Start(context.Background()); err != nil {
		p.t.Fatal(err)
	}
	p.a = a
	p.t.Cleanup(func() { a.Close() })
}

func (p *party) setHook(h func(ev Event, tx *Tx) error) {
	p.mu.Lock()
	p.hook = h
	p.mu.Unlock()
}

// count returns how many logged events match f.
func (p *party) count(f func(Event) bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, ev := range p.log {
		if f(ev) {
			n++
		}
	}
	return n
}

// waitCount waits until n logged events match f.
func (p *party) waitCount(n int, f func(Event) bool) {
	p.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for p.count(f) < n {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %d of %d events", p.name, p.count(f), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const waitLimit = 30 * time.Second

// next returns the next event matching f, failing after waitLimit.
func (p *party) next(f func(Event) bool) Event {
	p.t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case ev := <-p.events:
			if f(ev) {
				return ev
			}
		case <-deadline:
			p.t.Fatalf("%s: no matching event", p.name)
		}
	}
}

func is[T Event](ev Event) bool { _, ok := ev.(T); return ok }

func nextOf[T Event](p *party) T {
	p.t.Helper()
	return p.next(is[T]).(T)
}

// connect makes a connection from inv (inviter) to j (joiner) and returns
// both connection ids, once both sides are Connected.
func connect(t testing.TB, inv, j *party) (string, string) {
	t.Helper()
	ctx := context.Background()
	ic, l, err := inv.a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jc, err := j.a.Join(ctx, l, []byte("info of "+j.name))
	if err != nil {
		t.Fatal(err)
	}
	conf := nextOf[Confirmation](inv)
	if conf.ConnID != ic || string(conf.ConnInfo) != "info of "+j.name {
		t.Fatalf("confirmation %+v", conf)
	}
	if err := inv.a.Allow(ctx, ic, conf.ConfID, []byte("info of "+inv.name)); err != nil {
		t.Fatal(err)
	}
	ci := nextOf[Connected](inv)
	cj := nextOf[Connected](j)
	if ci.ConnID != ic || cj.ConnID != jc || string(ci.ConnInfo) != "info of "+j.name || string(cj.ConnInfo) != "info of "+inv.name {
		t.Fatalf("connected events %+v %+v", ci, cj)
	}
	return ic, jc
}

// joinAddress has inv create a contact address and accept every request in
// its handler (in the request's batch, with inv's name as its info), then j
// join it with j's name. It returns the address's connection id, its link
// and j's connection id; the Request and Connected events are the caller's.
func joinAddress(t testing.TB, inv, j *party) (addr, lnk, jc string) {
	t.Helper()
	ctx := context.Background()
	addr, lnk, err := inv.a.CreateAddress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inv.setHook(func(ev Event, tx *Tx) error {
		if r, ok := ev.(Request); ok {
			_, err := tx.AcceptRequest(r.ConnID, r.ReqID, []byte(inv.name))
			return err
		}
		return nil
	})
	jc, err = j.a.Join(ctx, lnk, []byte(j.name))
	if err != nil {
		t.Fatal(err)
	}
	return addr, lnk, jc
}

// exchange sends n messages each way concurrently and checks that each
// side receives the other's, exactly once and in order.
func exchange(t testing.TB, p1 *party, c1 string, p2 *party, c2 string, n int, during func(i int)) {
	t.Helper()
	ctx := context.Background()
	errc := make(chan error, 2)
	for _, s := range []struct {
		p  *party
		id string
	}{{p1, c1}, {p2, c2}} {
		go func() {
			for i := range n {
				if _, err := s.p.a.Send(ctx, s.id, []byte(fmt.Sprintf("%s %d", s.p.name, i))); err != nil {
					errc <- err
					return
				}
				if during != nil && s.p == p1 {
					during(i)
				}
			}
			errc <- nil
		}()
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	expectMessages(t, p2, c2, p1.name, n)
	expectMessages(t, p1, c1, p2.name, n)
}

func expectMessages(t testing.TB, p *party, connID, from string, n int) {
	t.Helper()
	for i := range n {
		m := p.next(func(ev Event) bool {
			if in, ok := ev.(Integrity); ok {
				t.Fatalf("%s: integrity event %+v", p.name, in)
			}
			return is[Message](ev)
		}).(Message)
		if m.ConnID != connID || string(m.Body) != fmt.Sprintf("%s %d", from, i) {
			t.Fatalf("%s: message %d is %q on %s", p.name, i, m.Body, m.ConnID)
		}
	}
}

// waitFor polls cond until it holds (a limit against hangs, not a timing).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
