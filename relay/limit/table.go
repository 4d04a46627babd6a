package limit

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
)

// maxAddrs bounds the addresses tracked at once. Past it, idle entries are
// dropped at once, and if every entry is busy new addresses share one
// overflow entry (they are limited together rather than refused).
const maxAddrs = 65536

// Params are the per-address limits of a Table; a value <= 0 turns that
// limit off.
type Params struct {
	MaxConns int     // open requests and sessions of one address
	Burst    int     // creations (queues, chunks) at once ...
	Rate     float64 // ... and per second after that
}

// Table holds what the per-address limits count, in memory only, for
// addresses that have something open or held or an unspent allowance. An
// entry goes once it is idle and its allowance has refilled (Sweep).
type Table struct {
	p        Params
	mu       sync.Mutex
	m        map[Key]*Addr
	overflow *Addr
}

// Addr is one client address's share of a relay.
type Addr struct {
	conns int          // open requests and sessions (under Table.mu)
	held  atomic.Int64 // what its clients hold now (subscriptions, bytes)
	mu    sync.Mutex   // guards newB
	newB  rules.Bucket // creation allowance
}

// NewTable returns an empty table with the limits p.
func NewTable(p Params) *Table {
	return &Table{p: p, m: map[Key]*Addr{}, overflow: &Addr{}}
}

// Enter counts one more open request or session of k and returns its
// entry, or nil when k is at MaxConns. The caller must Leave.
func (t *Table) Enter(k Key, now time.Time) *Addr {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.m[k]
	if a == nil {
		if len(t.m) >= maxAddrs {
			t.sweepLocked(now, true)
		}
		if len(t.m) >= maxAddrs {
			a = t.overflow
		} else {
			a = &Addr{}
			t.m[k] = a
		}
	}
	if t.p.MaxConns > 0 && a.conns >= t.p.MaxConns {
		return nil
	}
	a.conns++
	return a
}

// Leave ends what Enter counted.
func (t *Table) Leave(a *Addr) {
	t.mu.Lock()
	a.conns--
	t.mu.Unlock()
}

// Sweep drops the entries of addresses with nothing open or held whose
// allowance has refilled.
func (t *Table) Sweep(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweepLocked(now, false)
}

func (t *Table) sweepLocked(now time.Time, force bool) {
	for k, a := range t.m {
		if a.conns > 0 || a.held.Load() > 0 {
			continue
		}
		a.mu.Lock()
		refilled := a.newB.Full(now, t.p.Burst, t.p.Rate)
		a.mu.Unlock()
		if refilled || force {
			delete(t.m, k)
		}
	}
}

// Len returns the number of addresses tracked.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// TakeNew takes one creation from the address's allowance.
func (t *Table) TakeNew(a *Addr, now time.Time) bool {
	if t.p.Burst <= 0 {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.newB.Take(now, t.p.Burst, t.p.Rate)
}

// GiveNew returns a creation taken by TakeNew (another limit refused it).
func (t *Table) GiveNew(a *Addr) {
	if t.p.Burst <= 0 {
		return
	}
	a.mu.Lock()
	a.newB.Give(t.p.Burst)
	a.mu.Unlock()
}

// Hold adds n to what the address holds unless that would pass max
// (max <= 0: no limit); false when refused.
func (a *Addr) Hold(n, max int64) bool {
	if v := a.held.Add(n); max > 0 && v > max {
		a.held.Add(-n)
		return false
	}
	return true
}

// Release takes n back from what the address holds.
func (a *Addr) Release(n int64) { a.held.Add(-n) }

// Held returns what the address holds now.
func (a *Addr) Held() int64 { return a.held.Load() }
