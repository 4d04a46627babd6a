package store

import (
	"bytes"
	"context"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/rules"
)

// ExpireBatch walks the message bucket (ordered by recipient id, then
// sequence number) from cursor, looking at no more than limit messages,
// in one write of the group commit: the writes of sessions waiting at
// that moment share its transaction, and the next batch is a later
// commit, so an expiry pass over a large store never holds writes back
// for longer than one batch.
//
// A queue's messages are in the order they were stored, which is their
// time order (give or take the milliseconds two concurrent sends to one
// queue may swap), so at a queue's first message that has not expired the
// walk moves on to the next queue: a pass reads the expired messages plus
// one message per non-empty queue. A message skipped that way that had in
// fact expired is deleted by the next pass; Peek never returns it.
func (s *Bolt) ExpireBatch(ctx context.Context, before int64, cursor []byte, limit int) (int, []byte, error) {
	cursor, limit = clone(cursor), max(limit, 1)
	var n int
	var next []byte
	op := &boltOp{}
	op.fn = func(tx *bolt.Tx) error {
		n, next, op.refresh = 0, nil, nil
		keys, touched, nx := expiredKeys(tx, before, cursor, limit)
		next = nx
		b := tx.Bucket(bktMsgs)
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for rid, k := range touched {
			r, err := getQueue(tx, []byte(rid))
			if err != nil {
				continue // messages without a queue: nothing to count
			}
			r.count -= min(r.count, uint32(k))
			r.full = rules.Drained(r.full, int(r.count))
			if err := putQueue(tx, r); err != nil {
				return err
			}
			op.refresh = append(op.refresh, r)
		}
		n = len(keys)
		return nil
	}
	err := s.writeOp(ctx, op)
	if err != nil {
		return 0, nil, err
	}
	return n, next, nil
}

// expiredKeys returns the keys of expired messages among the next limit
// messages from cursor, how many per queue, and where to go on from (nil:
// the end).
func expiredKeys(tx *bolt.Tx, before int64, cursor []byte, limit int) ([][]byte, map[string]int, []byte) {
	var keys [][]byte
	touched := map[string]int{}
	c := tx.Bucket(bktMsgs).Cursor()
	k, v := c.First()
	if cursor != nil {
		k, v = c.Seek(cursor)
	}
	for seen := 0; k != nil; seen++ {
		if seen == limit {
			return keys, touched, clone(k)
		}
		rid := k[:len(k)-8]
		if len(v) >= msgIDLen+8 && int64(binary.BigEndian.Uint64(v[msgIDLen:])) >= before {
			nextQueue := after(rid) // the rest of this queue is newer
			if nextQueue == nil {
				break
			}
			k, v = c.Seek(nextQueue)
			continue
		}
		keys = append(keys, clone(k))
		touched[string(rid)]++
		k, v = c.Next()
	}
	return keys, touched, nil
}

// after returns the smallest key greater than every key starting with p
// (nil if there is none: p is all 0xff).
func after(p []byte) []byte {
	a := bytes.Clone(p)
	for i := len(a) - 1; i >= 0; i-- {
		if a[i]++; a[i] != 0 {
			return a[:i+1]
		}
	}
	return nil
}
