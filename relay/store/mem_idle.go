package store

import (
	"context"
	"slices"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
)

func (s *Mem) Touch(_ context.Context, rids [][]byte, day uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for _, rid := range rids {
		if mq := s.queues[string(rid)]; mq != nil && rules.Touch(mq.q.Active, day) {
			mq.q.Active = day
		}
	}
	return nil
}

// IdleQueues on Mem visits the queues in recipient-id order, limit per
// call; cursor is the recipient id to start at.
func (s *Mem) IdleQueues(_ context.Context, now time.Time, expiry time.Duration, cursor []byte, limit int) (idle, unknown [][]byte, next []byte, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, nil, ErrClosed
	}
	rids := make([]string, 0, len(s.queues))
	for rid := range s.queues {
		if rid >= string(cursor) {
			rids = append(rids, rid)
		}
	}
	slices.Sort(rids)
	for i, rid := range rids {
		if i == max(limit, 1) {
			return idle, unknown, []byte(rid), nil
		}
		switch a := s.queues[rid].q.Active; {
		case a == 0:
			unknown = append(unknown, []byte(rid))
		case rules.Idle(a, now, expiry):
			idle = append(idle, []byte(rid))
		}
	}
	return idle, unknown, nil, nil
}

func (s *Mem) DeleteIdle(_ context.Context, rids [][]byte, now time.Time, expiry time.Duration) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var deleted [][]byte
	for _, rid := range rids {
		mq := s.queues[string(rid)]
		if mq == nil || !rules.Idle(mq.q.Active, now, expiry) {
			continue
		}
		delete(s.bySID, string(mq.q.SenderID))
		delete(s.queues, string(rid))
		deleted = append(deleted, clone(rid))
	}
	return deleted, nil
}
