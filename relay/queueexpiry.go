package relay

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store"
)

// Queue expiry. A queue records the day it was last used (created,
// subscribed, read with GET, sent to); one neither used nor subscribed
// for Limits.QueueExpiry is deleted with its messages, so queues that
// clients abandoned (or an attacker created) do not stay forever. Its
// recipient's client finds out at its next SUB (AUTH) and re-creates what
// it still needs, or reports the connection lost.
//
// The day is kept at day resolution so that using a queue rewrites its
// record at most once a day: a SEND sets it in the write it does anyway
// (store.Put); SUBs and GETs, which write nothing, are collected here and
// written every few seconds as one store.Touch that no command waits for.
const (
	touchEvery = 5 * time.Second
	touchBatch = 4096 // a Touch this large is written at once
)

// toucher collects the queues used today whose records say an older day.
type toucher struct {
	mu   sync.Mutex
	rids map[string]struct{}
	kick chan struct{}
}

// used notes that q was subscribed or read now.
func (s *Server) used(rid string, q *queueView) {
	if !rules.Touch(q.Active, rules.Day(s.cfg.Now())) {
		return
	}
	t := &s.touch
	t.mu.Lock()
	t.rids[rid] = struct{}{}
	n := len(t.rids)
	t.mu.Unlock()
	if n >= touchBatch {
		select {
		case t.kick <- struct{}{}:
		default:
		}
	}
}

// flushTouches writes the collected days.
func (s *Server) flushTouches(ctx context.Context) error {
	t := &s.touch
	t.mu.Lock()
	m := t.rids
	t.rids = map[string]struct{}{}
	t.mu.Unlock()
	if len(m) == 0 {
		return nil
	}
	rids := make([][]byte, 0, len(m))
	for rid := range m {
		rids = append(rids, []byte(rid))
	}
	return s.cfg.Store.Touch(ctx, rids, rules.Day(s.cfg.Now()))
}

// touchLoop flushes every touchEvery, when a batch is full, and at stop.
func (s *Server) touchLoop() {
	defer s.wg.Done()
	tk := time.NewTicker(touchEvery)
	defer tk.Stop()
	for {
		stopping := false
		select {
		case <-tk.C:
		case <-s.touch.kick:
		case <-s.stop:
			stopping = true
		}
		if err := s.flushTouches(context.Background()); err != nil && !errors.Is(err, store.ErrClosed) {
			s.log.Warn("recording queue use", "err", err)
		}
		if stopping {
			return
		}
	}
}

// ExpireQueues deletes the queues idle for Limits.QueueExpiry, expireBatch
// records looked at per step, and returns how many it deleted. A queue
// subscribed by a session is in use however long ago it was subscribed:
// its day is brought up to date instead. A queue with no day recorded
// (stored before queues had one) gets today's. Should a session subscribe
// a queue between the look and the delete, it is told DELD.
func (s *Server) ExpireQueues(ctx context.Context) (int, error) {
	if !on(s.lim.QueueExpiry) {
		return 0, nil
	}
	if err := s.flushTouches(ctx); err != nil {
		return 0, err
	}
	now, total := s.cfg.Now(), 0
	var cur []byte
	for {
		idle, touch, next, err := s.cfg.Store.IdleQueues(ctx, now, s.lim.QueueExpiry, cur, expireBatch)
		if err != nil {
			return total, err
		}
		var del [][]byte
		for _, rid := range idle {
			if s.subs.held(string(rid)) {
				touch = append(touch, rid)
			} else {
				del = append(del, rid)
			}
		}
		n, err := s.expireStep(ctx, now, touch, del)
		if total += n; err != nil {
			return total, err
		}
		if next == nil {
			return total, nil
		}
		cur = next
		select {
		case <-s.stop:
			return total, store.ErrClosed
		default:
		}
	}
}

func (s *Server) expireStep(ctx context.Context, now time.Time, touch, del [][]byte) (int, error) {
	if len(touch) > 0 {
		if err := s.cfg.Store.Touch(ctx, touch, rules.Day(now)); err != nil {
			return 0, err
		}
	}
	if len(del) == 0 {
		return 0, nil
	}
	deleted, err := s.cfg.Store.DeleteIdle(ctx, del, now, s.lim.QueueExpiry)
	for _, rid := range deleted {
		s.deleted(string(rid), nil)
	}
	return len(deleted), err
}
