package store

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
)

// Mem is an in-memory Store (tests, and the relay without a data dir).
type Mem struct {
	mu     sync.Mutex
	closed bool
	queues map[string]*memQueue // by recipient id
	bySID  map[string]string    // sender id → recipient id
}

type memQueue struct {
	q    Queue
	msgs []Message
	full bool
}

// NewMem returns an empty memory store.
func NewMem() *Mem {
	return &Mem{queues: map[string]*memQueue{}, bySID: map[string]string{}}
}

func clone(b []byte) []byte { return bytes.Clone(b) }

func cloneQueue(q Queue) Queue {
	return Queue{RecipientID: clone(q.RecipientID), SenderID: clone(q.SenderID), RecipientKey: clone(q.RecipientKey),
		RecipientMAC: clone(q.RecipientMAC), SenderKey: clone(q.SenderKey), SenderMAC: clone(q.SenderMAC),
		BoxKey: clone(q.BoxKey), Suspended: q.Suspended, Active: q.Active}
}

func cloneMsg(m Message) Message {
	return Message{ID: clone(m.ID), Timestamp: m.Timestamp, Body: clone(m.Body)}
}

// with runs f on the queue rid under the lock.
func (s *Mem) with(rid []byte, f func(*memQueue) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	mq, ok := s.queues[string(rid)]
	if !ok {
		return ErrNotFound
	}
	return f(mq)
}

func (s *Mem) Create(_ context.Context, q Queue) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	_, r := s.queues[string(q.RecipientID)]
	_, sn := s.bySID[string(q.SenderID)]
	_, x := s.queues[string(q.SenderID)]
	if r || sn || x || s.bySID[string(q.RecipientID)] != "" {
		return ErrDuplicate
	}
	s.queues[string(q.RecipientID)] = &memQueue{q: cloneQueue(q)}
	s.bySID[string(q.SenderID)] = string(q.RecipientID)
	return nil
}

func (s *Mem) ByRecipient(_ context.Context, rid []byte) (q Queue, err error) {
	err = s.with(rid, func(mq *memQueue) error { q = cloneQueue(mq.q); return nil })
	return q, err
}

func (s *Mem) BySender(ctx context.Context, sid []byte) (Queue, error) {
	s.mu.Lock()
	rid, ok := s.bySID[string(sid)]
	s.mu.Unlock()
	if !ok {
		return Queue{}, ErrNotFound
	}
	return s.ByRecipient(ctx, []byte(rid))
}

func (s *Mem) Secure(_ context.Context, rid, key, mac []byte) error {
	return s.with(rid, func(mq *memQueue) error {
		if _, ok := rules.Secure(&mq.q, key, mac); !ok {
			return ErrAuth
		}
		return nil
	})
}

func (s *Mem) Suspend(_ context.Context, rid []byte) error {
	return s.with(rid, func(mq *memQueue) error { mq.q.Suspended = true; return nil })
}

func (s *Mem) Delete(_ context.Context, rid []byte) error {
	return s.with(rid, func(mq *memQueue) error {
		delete(s.bySID, string(mq.q.SenderID))
		delete(s.queues, string(rid))
		return nil
	})
}

func (s *Mem) Put(_ context.Context, rid []byte, m Message, quota int) error {
	return s.with(rid, func(mq *memQueue) error {
		if mq.q.Suspended {
			return ErrSuspended
		}
		ok, full := rules.Admit(len(mq.msgs), mq.full, quota)
		if mq.full = full; !ok {
			return ErrQuota
		}
		mq.msgs = append(mq.msgs, cloneMsg(m))
		if day := rules.Day(time.UnixMilli(m.Timestamp)); rules.Touch(mq.q.Active, day) {
			mq.q.Active = day
		}
		return nil
	})
}

func (s *Mem) Peek(_ context.Context, rid []byte, notBefore int64) (m Message, err error) {
	err = s.with(rid, func(mq *memQueue) error {
		for _, x := range mq.msgs {
			if x.Timestamp >= notBefore {
				m = cloneMsg(x)
				return nil
			}
		}
		return ErrNoMsg
	})
	return m, err
}

func (s *Mem) Ack(_ context.Context, rid, msgID []byte) error {
	return s.with(rid, func(mq *memQueue) error {
		i := slices.IndexFunc(mq.msgs, func(x Message) bool { return bytes.Equal(x.ID, msgID) })
		if i < 0 {
			return ErrNoMsg
		}
		mq.msgs = slices.Delete(mq.msgs, 0, i+1)
		mq.full = rules.Drained(mq.full, len(mq.msgs))
		return nil
	})
}

// ExpireBatch on Mem visits the queues in recipient-id order, at most
// limit queues per call; cursor is the recipient id to start at.
func (s *Mem) ExpireBatch(_ context.Context, before int64, cursor []byte, limit int) (int, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, nil, ErrClosed
	}
	rids := make([]string, 0, len(s.queues))
	for rid := range s.queues {
		if rid >= string(cursor) {
			rids = append(rids, rid)
		}
	}
	slices.Sort(rids)
	n := 0
	for i, rid := range rids {
		if i == max(limit, 1) {
			return n, []byte(rid), nil
		}
		mq := s.queues[rid]
		k := len(mq.msgs)
		mq.msgs = slices.DeleteFunc(mq.msgs, func(x Message) bool { return x.Timestamp < before })
		n += k - len(mq.msgs)
		mq.full = rules.Drained(mq.full, len(mq.msgs))
	}
	return n, nil, nil
}

func (s *Mem) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
