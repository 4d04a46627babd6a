//go:build !js

package boltstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/core/store"
)

// Apply writes the batch atomically and durably: when it returns nil the
// batch is in the file and fsync'd. Batches from concurrent callers may
// share one bbolt transaction (see committer); each is still all or
// nothing. A batch that is too large for bbolt fails with ErrTooLarge
// before anything is queued; a full disk fails with an error matching
// store.ErrQuota. A canceled ctx stops a batch that has not been queued
// yet; once queued, Apply waits for the outcome and reports it truthfully.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if b == nil || len(b.Ops) == 0 {
		if s.c.isClosed() {
			return store.ErrClosed
		}
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkSizes(b.Ops); err != nil {
		return err
	}
	return s.c.submit(b.Ops)
}

// checkSizes rejects what bbolt would refuse halfway through a
// transaction, so one bad batch cannot fail the others of its group.
func checkSizes(ops []store.Op) error {
	for i, op := range ops {
		if len(op.Bucket) > MaxKeyLen || len(op.Key) > MaxKeyLen {
			return fmt.Errorf("%w: op %d: bucket name of %d bytes, key of %d bytes (max %d)", ErrTooLarge, i, len(op.Bucket), len(op.Key), MaxKeyLen)
		}
		if int64(len(op.Value)) > MaxValueLen {
			return fmt.Errorf("%w: op %d: value of %d bytes (max %d)", ErrTooLarge, i, len(op.Value), MaxValueLen)
		}
	}
	return nil
}

func (p *pending) write(tx *bolt.Tx) error {
	if p.reset {
		if err := dropAll(tx); err != nil {
			return err
		}
	}
	return write(tx, p.ops)
}

// write applies one batch's ops inside tx, in order (a later write to the
// same key wins, as it overwrites the earlier one).
func write(tx *bolt.Tx, ops []store.Op) error {
	for _, op := range ops {
		name := bucketName(op.Bucket)
		b := tx.Bucket(name)
		if op.Value == nil {
			if b == nil {
				continue // nothing to delete
			}
			if err := b.Delete(encodeKey(op.Key)); err != nil {
				return err
			}
			continue
		}
		if b == nil {
			var err error
			if b, err = tx.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := b.Put(encodeKey(op.Key), op.Value); err != nil {
			return err
		}
	}
	return nil
}

func applyErr(err error) error {
	if err == nil {
		return nil
	}
	if storageFull(err) {
		return &quotaError{err: err}
	}
	return fmt.Errorf("boltstore: apply: %w", err)
}

// maxGroup bounds the batches of one transaction.
const maxGroup = 1024

// committer is the group commit. Apply queues its batch; if no commit is
// running, the caller becomes the committer: it takes every batch queued
// at that moment (up to maxGroup), in queue order, writes them in one
// bbolt transaction with one fsync, and hands the results out. While that
// fsync runs, the next callers queue up, and the first of them to wake
// commits them all. So a lone caller commits its own batch with no
// goroutine hand-off (as fast as a plain bbolt Update), N concurrent
// callers share the fsyncs, no timer waits for company, and no goroutine
// runs while nobody writes.
type committer struct {
	db *bolt.DB

	mu     sync.Mutex
	cond   *sync.Cond // on mu: a commit finished
	queue  []*pending
	busy   bool // a caller is committing
	closed bool

	commits, batches atomic.Int64 // for benchmarks
}

type pending struct {
	ops      []store.Op
	reset    bool  // drop every bucket first (Reset)
	err      error // guarded by mu once queued
	finished bool
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *committer) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// submit queues ops and returns the outcome of their commit, committing
// them (with whatever else is queued) itself when no commit is running.
func (c *committer) submit(ops []store.Op) error {
	return c.submitPending(&pending{ops: ops})
}

// submitReset is submit for a Reset: every bucket goes, then ops.
func (c *committer) submitReset(ops []store.Op) error {
	return c.submitPending(&pending{ops: ops, reset: true})
}

func (c *committer) submitPending(p *pending) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return store.ErrClosed
	}
	c.queue = append(c.queue, p)
	for !p.finished {
		if c.busy {
			c.cond.Wait()
			continue
		}
		n := min(len(c.queue), maxGroup)
		group := c.queue[:n:n]
		c.queue = c.queue[n:]
		if len(c.queue) == 0 {
			c.queue = nil // let the backing array go
		}
		c.busy = true
		c.mu.Unlock()
		errs := c.commit(group)
		c.mu.Lock()
		for i, q := range group {
			q.err, q.finished = errs[i], true
		}
		c.busy = false
		c.cond.Broadcast() // the committed return, the first other waiter commits next
	}
	return p.err
}

// close stops accepting batches and waits until the queued ones have
// committed.
func (c *committer) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for c.busy || len(c.queue) > 0 {
		c.cond.Wait()
	}
}

// commit writes group in one transaction. If that fails, it writes each
// batch in a transaction of its own, so every batch gets its own outcome
// and one failing batch does not take the others down with it.
func (c *committer) commit(group []*pending) []error {
	c.commits.Add(1)
	c.batches.Add(int64(len(group)))
	errs := make([]error, len(group))
	err := c.db.Update(func(tx *bolt.Tx) error {
		for _, p := range group {
			if err := p.write(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(group) > 1 {
		for i, p := range group {
			c.commits.Add(1)
			errs[i] = applyErr(c.db.Update(p.write))
		}
		return errs
	}
	for i := range errs {
		errs[i] = applyErr(err)
	}
	return errs
}
