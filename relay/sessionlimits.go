package relay

import (
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// readPause: while more than this much of a session's output waits for
// a client that does not read it, the session's socket is not read
// (Session.waitOutput), so what a client can make the relay hold for it
// is this plus the responses of the transmissions already in progress,
// not maxOutbox.
const readPause = 1 << 20

// takeNew takes one NEW from the session's and the client address's
// allowances, or returns RATE. It runs before the NEW's X25519, so a
// flood of NEWs costs the relay little CPU once refused.
func (ss *Session) takeNew() wire.ErrCode {
	lim := &ss.srv.lim
	now := time.Now()
	perSession := ss.pushAllow && on(lim.NewBurst) // a POST is a session of one request
	if perSession {
		ss.mu.Lock()
		ok := ss.newB.Take(now, lim.NewBurst, lim.NewRate)
		ss.mu.Unlock()
		if !ok {
			ss.srv.refused.rate.Add(1)
			return wire.ErrRate
		}
	}
	if !ss.srv.addrs.TakeNew(ss.addr, now) {
		if perSession {
			ss.mu.Lock()
			ss.newB.Give(lim.NewBurst)
			ss.mu.Unlock()
		}
		ss.srv.refused.rate.Add(1)
		return wire.ErrRate
	}
	return 0
}

// giveNew returns what takeNew took (the NEW was refused for another
// reason).
func (ss *Session) giveNew() {
	lim := &ss.srv.lim
	if ss.pushAllow && on(lim.NewBurst) {
		ss.mu.Lock()
		ss.newB.Give(lim.NewBurst)
		ss.mu.Unlock()
	}
	ss.srv.addrs.GiveNew(ss.addr)
}

// admitSub reserves a place for one more subscription of this session,
// or returns LIMIT when the session or its client address holds as many
// as allowed. The caller has checked that the session does not hold the
// queue already (its commands on one queue run one at a time). When
// another session of the same address holds it (a client reconnecting
// before its old socket timed out), the address's count only moves from
// one session to the other and is not checked.
func (ss *Session) admitSub(rid string) wire.ErrCode {
	lim := &ss.srv.lim
	if n := ss.held.Add(1); on(lim.MaxSubs) && n > int64(lim.MaxSubs) {
		ss.held.Add(-1)
		ss.srv.refused.subs.Add(1)
		return wire.ErrLimit
	}
	if rid != "" && ss.srv.subs.holderAddr(rid) == ss.addr {
		ss.addr.Hold(1, 0) // the holder's drop gives it back
		return 0
	}
	if !ss.addr.Hold(1, int64(lim.MaxSubsPerAddr)) {
		ss.held.Add(-1)
		ss.srv.refused.subs.Add(1)
		return wire.ErrLimit
	}
	return 0
}

// released gives back the places of n subscriptions (dropped, or admitted
// and not used).
func (ss *Session) released(n int) {
	if n > 0 {
		ss.held.Add(int64(-n))
		ss.addr.Release(int64(n))
	}
}
