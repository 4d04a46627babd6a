package relay

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

// addrTable holds what the per-address limits count, in memory only, for
// addresses that have connections, subscriptions or an unspent rate. An
// entry goes once it is idle and its rate has refilled (sweep).
type addrTable struct {
	lim      *Limits
	mu       sync.Mutex
	m        map[addrKey]*addrState
	overflow *addrState
}

// addrState is one client address's share of the relay.
type addrState struct {
	conns int          // open requests and WebSocket sessions (under addrTable.mu)
	subs  atomic.Int64 // subscriptions held by its sessions
	mu    sync.Mutex   // guards newB
	newB  rules.Bucket // NEW allowance
}

func newAddrTable(lim *Limits) *addrTable {
	return &addrTable{lim: lim, m: map[addrKey]*addrState{}, overflow: &addrState{}}
}

// enter counts one more connection (request or session) of k and returns
// its entry, or nil when k is at MaxConnsPerAddr. The caller must leave.
func (t *addrTable) enter(k addrKey, now time.Time) *addrState {
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
			a = &addrState{}
			t.m[k] = a
		}
	}
	if on(t.lim.MaxConnsPerAddr) && a.conns >= t.lim.MaxConnsPerAddr {
		return nil
	}
	a.conns++
	return a
}

// leave ends a connection counted by enter.
func (t *addrTable) leave(a *addrState) {
	t.mu.Lock()
	a.conns--
	t.mu.Unlock()
}

// sweep drops the entries of addresses with nothing open whose NEW
// allowance has refilled (all idle ones when force is set: the table is
// full).
func (t *addrTable) sweep(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweepLocked(now, false)
}

func (t *addrTable) sweepLocked(now time.Time, force bool) {
	for k, a := range t.m {
		if a.conns > 0 || a.subs.Load() > 0 {
			continue
		}
		a.mu.Lock()
		refilled := a.newB.Full(now, t.lim.NewBurstPerAddr, t.lim.NewRatePerAddr)
		a.mu.Unlock()
		if refilled || force {
			delete(t.m, k)
		}
	}
}

// len returns the number of addresses tracked.
func (t *addrTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// takeNew takes one NEW from the address's allowance.
func (a *addrState) takeNew(lim *Limits, now time.Time) bool {
	if !on(lim.NewBurstPerAddr) {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.newB.Take(now, lim.NewBurstPerAddr, lim.NewRatePerAddr)
}

// giveNew returns a NEW taken by takeNew.
func (a *addrState) giveNew(lim *Limits) {
	if !on(lim.NewBurstPerAddr) {
		return
	}
	a.mu.Lock()
	a.newB.Give(lim.NewBurstPerAddr)
	a.mu.Unlock()
}

// admitSub reserves one subscription for the address; false at
// MaxSubsPerAddr.
func (a *addrState) admitSub(lim *Limits) bool {
	if n := a.subs.Add(1); on(lim.MaxSubsPerAddr) && n > int64(lim.MaxSubsPerAddr) {
		a.subs.Add(-1)
		return false
	}
	return true
}
