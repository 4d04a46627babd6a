package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/rules"
)

// Touch rewrites, in one write of the group commit, the records of rids
// whose active day is older than day. The relay batches the SUBs and GETs
// of a few seconds into one Touch and waits for none of them: a Touch
// lost in a crash only makes a queue look a day older.
func (s *Bolt) Touch(ctx context.Context, rids [][]byte, day uint32) error {
	rids = cloneAll(rids)
	op := &boltOp{}
	op.fn = func(tx *bolt.Tx) error {
		op.refresh = nil
		for _, rid := range rids {
			r, err := getQueue(tx, rid)
			if err != nil || !rules.Touch(r.q.Active, day) {
				continue // deleted meanwhile, or touched already
			}
			r.q.Active = day
			if err := putQueue(tx, r); err != nil {
				return err
			}
			op.refresh = append(op.refresh, r)
		}
		return nil
	}
	return s.writeOp(ctx, op)
}

// IdleQueues walks the queue records in recipient-id order in a read
// transaction.
func (s *Bolt) IdleQueues(_ context.Context, now time.Time, expiry time.Duration, cursor []byte, limit int) (idle, unknown [][]byte, next []byte, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktQueues).Cursor()
		k, v := c.First()
		if cursor != nil {
			k, v = c.Seek(cursor)
		}
		for seen := 0; k != nil; k, v = c.Next() {
			if seen++; seen > max(limit, 1) {
				next = clone(k)
				return nil
			}
			r, err := decodeRecord(v)
			switch {
			case err != nil:
				continue // not ours to judge; the record's own commands fail on it
			case r.q.Active == 0:
				unknown = append(unknown, clone(k))
			case rules.Idle(r.q.Active, now, expiry):
				idle = append(idle, clone(k))
			}
		}
		return nil
	})
	return idle, unknown, next, err
}

// DeleteIdle deletes, in one write, the queues of rids that are still idle.
func (s *Bolt) DeleteIdle(ctx context.Context, rids [][]byte, now time.Time, expiry time.Duration) ([][]byte, error) {
	rids = cloneAll(rids)
	var deleted [][]byte
	op := &boltOp{}
	op.fn = func(tx *bolt.Tx) error {
		deleted, op.dels = nil, nil
		for _, rid := range rids {
			r, err := getQueue(tx, rid)
			if err != nil || !rules.Idle(r.q.Active, now, expiry) {
				continue
			}
			if err := deleteMsgs(tx, rid, nil); err != nil {
				return err
			}
			if err := tx.Bucket(bktSender).Delete(r.q.SenderID); err != nil {
				return err
			}
			if err := tx.Bucket(bktQueues).Delete(rid); err != nil {
				return err
			}
			deleted, op.dels = append(deleted, rid), append(op.dels, r)
		}
		return nil
	}
	if err := s.writeOp(ctx, op); err != nil {
		return nil, err
	}
	return deleted, nil
}

func cloneAll(bs [][]byte) [][]byte {
	out := make([][]byte, len(bs))
	for i, b := range bs {
		out[i] = clone(b)
	}
	return out
}
