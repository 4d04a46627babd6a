package relay

import (
	"bytes"
	"context"
	"hash/maphash"
	"sync"

	"github.com/sxweb/sxweb/relay/wire"
)

const stripes = 256

// subTable maps recipient id → the session subscribed to it, and the id of
// the MSG delivered and not yet acknowledged. Each stripe's lock also
// serializes the delivery decisions of its queues.
type subTable struct {
	seed    maphash.Seed
	stripes [stripes]struct {
		mu sync.Mutex
		m  map[string]*subState
	}
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

func (t *subTable) stripe(rid string) (*sync.Mutex, map[string]*subState) {
	st := &t.stripes[maphash.String(t.seed, rid)%stripes]
	return &st.mu, st.m
}

// subscribe makes ss the queue's subscriber (END to a previous one) and
// (re-)delivers its oldest message.
func (s *Server) subscribe(ctx context.Context, rid string, q *queueView, ss *Session) {
	mu, m := s.subs.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if old := m[rid]; old != nil && old.sess != ss {
		old.sess.dropSub(rid)
		old.sess.send(&wire.Transmission{EntityID: []byte(rid), Code: wire.END})
	}
	st := &subState{sess: ss}
	m[rid] = st
	ss.addSub(rid)
	s.deliverLocked(ctx, rid, q, st, nil)
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
		mu, m := s.subs.stripe(rid)
		mu.Lock()
		if st := m[rid]; st != nil && st.sess == ss {
			s.deliverLocked(ctx, rid, &queueView{Queue: q}, st, nil)
		}
		mu.Unlock()
		if ss.deferredAgain() {
			ss.requeue(rids[i+1:]) // the outbox filled up again: keep the rest for later
			return
		}
	}
}

// delivered is called after a SEND stored a message: push it if the
// subscriber is idle.
func (s *Server) delivered(ctx context.Context, rid string, q *queueView) {
	mu, m := s.subs.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if st := m[rid]; st != nil {
		s.deliverLocked(ctx, rid, q, st, nil)
	}
}

// acked is called after an ACK removed messages: deliver the next one.
func (s *Server) acked(ctx context.Context, rid string, q *queueView) {
	mu, m := s.subs.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if st := m[rid]; st != nil {
		keep := st.pending
		st.pending = nil
		s.deliverLocked(ctx, rid, q, st, keep)
	}
}

// ackedGone is called after an ACK of a message no longer in the queue:
// if it is the one delivered (it expired meanwhile), deliver the next.
func (s *Server) ackedGone(ctx context.Context, rid string, q *queueView, msgID []byte) {
	mu, m := s.subs.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if st := m[rid]; st != nil && st.pending != nil && bytes.Equal(st.pending, msgID) {
		st.pending = nil
		s.deliverLocked(ctx, rid, q, st, nil)
	}
}

// deleted removes the subscription; a subscriber other than by is told DELD.
func (s *Server) deleted(rid string, by *Session) {
	mu, m := s.subs.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if st := m[rid]; st != nil {
		delete(m, rid)
		st.sess.dropSub(rid)
		if st.sess != by {
			st.sess.send(&wire.Transmission{EntityID: []byte(rid), Code: wire.DELD})
		}
	}
}

func (t *subTable) unsubscribe(rid string, ss *Session) {
	mu, m := t.stripe(rid)
	mu.Lock()
	defer mu.Unlock()
	if st := m[rid]; st != nil && st.sess == ss {
		delete(m, rid)
	}
}
