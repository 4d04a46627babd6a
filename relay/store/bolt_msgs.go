package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/rules"
)

// A message record is id (24) ‖ timestamp (8, BE) ‖ body.
const msgIDLen = 24

func encodeMsg(m Message) []byte {
	b := make([]byte, 0, msgIDLen+8+len(m.Body))
	b = append(b, m.ID...)
	b = binary.BigEndian.AppendUint64(b, uint64(m.Timestamp))
	return append(b, m.Body...)
}

func decodeMsg(v []byte) (Message, error) {
	if len(v) < msgIDLen+8 {
		return Message{}, errCorrupt
	}
	return Message{ID: clone(v[:msgIDLen]), Timestamp: int64(binary.BigEndian.Uint64(v[msgIDLen:])),
		Body: clone(v[msgIDLen+8:])}, nil
}

func (s *Bolt) Put(ctx context.Context, rid []byte, m Message, quota int) error {
	if len(m.ID) != msgIDLen {
		return errCorrupt
	}
	v := encodeMsg(m)
	return s.update(ctx, rid, func(tx *bolt.Tx, r *record) error {
		if r.q.Suspended {
			return ErrSuspended
		}
		if ok, _ := rules.Admit(int(r.count), r.full, quota); !ok {
			if !r.full {
				r.full = true
				putQueue(tx, r) // remember "full" even though this Put fails
			}
			return ErrQuota
		}
		r.seq++
		r.count++
		if day := rules.Day(time.UnixMilli(m.Timestamp)); rules.Touch(r.q.Active, day) {
			r.q.Active = day // a queue sent to is in use (the record is written anyway)
		}
		return tx.Bucket(bktMsgs).Put(msgKey(r.q.RecipientID, r.seq), v)
	})
}

func (s *Bolt) Peek(_ context.Context, rid []byte, notBefore int64) (m Message, err error) {
	if r, _ := s.cache.get(rid); r != nil && r.count == 0 {
		return Message{}, ErrNoMsg // known empty: no read transaction
	}
	err = s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bktQueues).Get(rid) == nil {
			return ErrNotFound
		}
		c := tx.Bucket(bktMsgs).Cursor()
		for k, v := c.Seek(rid); k != nil && bytes.HasPrefix(k, rid); k, v = c.Next() {
			x, err := decodeMsg(v)
			if err != nil {
				return err
			}
			if x.Timestamp >= notBefore {
				m = x
				return nil
			}
		}
		return ErrNoMsg
	})
	return m, err
}

func (s *Bolt) Ack(ctx context.Context, rid, msgID []byte) error {
	msgID = clone(msgID)
	if len(msgID) != msgIDLen {
		return ErrNoMsg
	}
	return s.update(ctx, rid, func(tx *bolt.Tx, r *record) error {
		if err := deleteMsgs(tx, r.q.RecipientID, msgID); err != nil {
			return err
		}
		r.count = uint32(countMsgs(tx, r.q.RecipientID))
		r.full = rules.Drained(r.full, int(r.count))
		return nil
	})
}

func countMsgs(tx *bolt.Tx, rid []byte) int {
	n := 0
	c := tx.Bucket(bktMsgs).Cursor()
	for k, _ := c.Seek(rid); k != nil && bytes.HasPrefix(k, rid); k, _ = c.Next() {
		n++
	}
	return n
}
