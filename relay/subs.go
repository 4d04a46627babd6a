package relay

import (
	"bytes"
	"context"
	"hash/maphash"
	"sync"

	"github.com/sxweb/sxweb/relay/limit"
	"github.com/sxweb/sxweb/relay/wire"
)

const stripes = 256

// subTable maps recipient id → the session subscribed to it, and the id of
// the MSG delivered and not yet acknowledged. Each stripe's lock also
// serializes the delivery decisions of its queues.
type subTable struct {
	seed    maphash.Seed
	stripes [stripes]stripe
}

type stripe struct {
	mu   sync.Mutex
	m    map[string]*subState
	peak int // most entries m held since it was last rebuilt
}

type subState struct {
	sess    *Session
	pending []byte // id of the delivered, unacknowledged message; nil when idle
}

func (t *subTable) init() {
	t.seed = maphash.MakeSeed()
	for i := range t.stripes {
		t.stripes[i].m = map[string]*subState{}
	}
}

// lock locks the stripe of rid and returns its map (valid until unlock).
func (t *subTable) lock(rid string) (*stripe, map[string]*subState) {
	st := &t.stripes[maphash.String(t.seed, rid)%stripes]
	st.mu.Lock()
	return st, st.m
}

// count is the number of subscriptions held (all sessions).
func (t *subTable) count() int {
	n := 0
	for i := range t.stripes {
		st := &t.stripes[i]
		st.mu.Lock()
		n += len(st.m)
		st.mu.Unlock()
	}
	return n
}

// shrink rebuilds the maps of stripes that hold under a quarter of their
// peak: Go maps keep their size after deletes, so without this the
// memory of a large session's subscriptions stays after it closed.
func (t *subTable) shrink() {
	for i := range t.stripes {
		st := &t.stripes[i]
		st.mu.Lock()
		if st.peak >= 64 && len(st.m) < st.peak/4 {
			m := make(map[string]*subState, len(st.m))
			for k, v := range st.m {
				m[k] = v
			}
			st.m, st.peak = m, len(m)
		}
		st.mu.Unlock()
	}
}

// subscribe makes ss the queue's subscriber (END to a previous one) and
// (re-)delivers its oldest message.
func (s *Server) subscribe(ctx context.Context, rid string, q *queueView, ss *Session) {
	sp, m := s.subs.lock(rid)
	defer sp.mu.Unlock()
	if old := m[rid]; old != nil && old.sess != ss {
		old.sess.dropSub(rid)
		old.sess.send(&wire.Transmission{EntityID: []byte(rid), Code: wire.END})
	}
	sub := &subState{sess: ss}
	m[rid] = sub
	sp.peak = max(sp.peak, len(m))
	ss.addSub(rid)
	s.deliverLocked(ctx, rid, q, sub, nil)
}

// deliverLocked pushes the oldest message if the subscriber is idle. If
// that message is keep (already delivered), it is not pushed again.
func (s *Server) deliverLocked(ctx context.Context, rid string, q *queueView, st *subState, keep []byte) {
	if st.pending != nil || st.sess.deferDelivery(rid) {
		return
	}
	msg, err := s.cfg.Store.Peek(ctx, []byte(rid), s.notBefore())
	if err != nil {
		return // no message (or store failure: the next SUB or SEND retries)
	}
	st.pending = msg.ID
	if keep != nil && bytes.Equal(keep, msg.ID) {
		return
	}
	st.sess.send(q.msg(rid, msg, nil))
}

// redeliver delivers to ss the queues whose delivery was deferred while
// its outbox was full (those it still holds and that are idle).
func (s *Server) redeliver(ctx context.Context, ss *Session, rids []string) {
	for i, rid := range rids {
		q, err := s.cfg.Store.ByRecipient(ctx, []byte(rid))
		if err != nil {
			continue // deleted meanwhile
		}
		sp, m := s.subs.lock(rid)
		if st := m[rid]; st != nil && st.sess == ss {
			s.deliverLocked(ctx, rid, &queueView{Queue: q}, st, nil)
		}
		sp.mu.Unlock()
		if ss.deferredAgain() {
			ss.requeue(rids[i+1:]) // the outbox filled up again: keep the rest for later
			return
		}
	}
}

// delivered is called after a SEND stored a message: push it if the
// subscriber is idle.
func (s *Server) delivered(ctx context.Context, rid string, q *queueView) {
	sp, m := s.subs.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil {
		s.deliverLocked(ctx, rid, q, st, nil)
	}
}

// acked is called after an ACK removed messages: deliver the next one.
func (s *Server) acked(ctx context.Context, rid string, q *queueView) {
	sp, m := s.subs.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil {
		keep := st.pending
		st.pending = nil
		s.deliverLocked(ctx, rid, q, st, keep)
	}
}

// ackedGone is called after an ACK of a message no longer in the queue:
// if it is the one delivered (it expired meanwhile), deliver the next.
func (s *Server) ackedGone(ctx context.Context, rid string, q *queueView, msgID []byte) {
	sp, m := s.subs.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil && st.pending != nil && bytes.Equal(st.pending, msgID) {
		st.pending = nil
		s.deliverLocked(ctx, rid, q, st, nil)
	}
}

// deleted removes the subscription; a subscriber other than by is told DELD.
func (s *Server) deleted(rid string, by *Session) {
	sp, m := s.subs.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil {
		delete(m, rid)
		st.sess.dropSub(rid)
		if st.sess != by {
			st.sess.send(&wire.Transmission{EntityID: []byte(rid), Code: wire.DELD})
		}
	}
}

func (t *subTable) unsubscribe(rid string, ss *Session) {
	sp, m := t.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil && st.sess == ss {
		delete(m, rid)
	}
}

// held reports whether a session is subscribed to rid.
func (t *subTable) held(rid string) bool {
	sp, m := t.lock(rid)
	defer sp.mu.Unlock()
	return m[rid] != nil
}

// holderAddr returns the client address of the session subscribed to rid
// (nil when none).
func (t *subTable) holderAddr(rid string) *limit.Addr {
	sp, m := t.lock(rid)
	defer sp.mu.Unlock()
	if st := m[rid]; st != nil {
		return st.sess.addr
	}
	return nil
}
