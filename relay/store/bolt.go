package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/rules"
)

var (
	bktQueues = []byte("q") // recipient id → queue record
	bktSender = []byte("s") // sender id → recipient id
	bktMsgs   = []byte("m") // recipient id ‖ seq (8 bytes BE) → message record
)

// Bolt is the persistent Store on one bbolt file. Writes go through a
// single commit loop that applies every write waiting at that moment in
// one transaction and one fsync (group commit), so concurrent writers
// share the cost of the fsync and a write returns only once durable.
type Bolt struct {
	db    *bolt.DB
	cache *cache
	ops   chan *boltOp
	stop  chan struct{}
	done  chan struct{}
	Stats CommitStats
}

// CommitStats counts group commits (read after Close, or racily for logs).
type CommitStats struct{ Commits, Ops int64 }

type boltOp struct {
	fn   func(*bolt.Tx) error
	done chan error
	// Cache changes, applied only if fn and the commit succeed.
	put, del *record
	// Records written by passes over many queues (expiry, Touch) and new
	// ones (Create): updated where cached, not added, so that a flood of
	// NEWs or a pass over the store does not fill the cache with queues
	// nobody is using (and their memory goes with them).
	refresh []*record
	dels    []*record // more records deleted (idle queues)
	clear   bool
}

// maxGroup bounds the writes in one commit (keeps one transaction short).
const maxGroup = 4096

// OpenBolt opens (creating if needed) the store file at path.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bktQueues, bktSender, bktMsgs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Bolt{db: db, cache: newCache(), ops: make(chan *boltOp, maxGroup), stop: make(chan struct{}), done: make(chan struct{})}
	go s.commitLoop()
	return s, nil
}

func (s *Bolt) commitLoop() {
	defer close(s.done)
	group := make([]*boltOp, 0, maxGroup)
	for {
		select {
		case op := <-s.ops:
			group = append(group[:0], op)
		case <-s.stop:
			return
		}
	drain:
		for len(group) < maxGroup {
			select {
			case op := <-s.ops:
				group = append(group, op)
			default:
				break drain
			}
		}
		s.commit(group)
	}
}

// commit applies the group in one transaction. Each op checks before it
// writes, so an op that fails leaves nothing behind and the others commit.
func (s *Bolt) commit(group []*boltOp) {
	errs := make([]error, len(group))
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i, op := range group {
			errs[i] = op.fn(tx)
		}
		return nil
	})
	s.Stats.Commits++
	s.Stats.Ops += int64(len(group))
	var puts, refresh, dels []*record
	clear := err != nil // a failed commit: forget everything cached
	for i, op := range group {
		if err == nil && errs[i] == nil {
			if op.put != nil {
				puts = append(puts, op.put)
			}
			refresh = append(refresh, op.refresh...)
			if op.del != nil {
				dels = append(dels, op.del)
			}
			dels = append(dels, op.dels...)
			clear = clear || op.clear
		}
	}
	s.cache.committed(puts, refresh, dels, clear)
	for i, op := range group {
		if err != nil {
			errs[i] = err
		}
		op.done <- errs[i]
	}
}

// write queues fn for the next group commit and waits until it is durable.
func (s *Bolt) write(ctx context.Context, fn func(*bolt.Tx) error) error {
	return s.writeOp(ctx, &boltOp{fn: fn})
}

func (s *Bolt) writeOp(ctx context.Context, op *boltOp) error {
	op.done = make(chan error, 1)
	select {
	case s.ops <- op:
	case <-s.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-op.done:
		return err
	case <-s.done:
		select {
		case err := <-op.done:
			return err
		default:
			return ErrClosed
		}
	}
}

func (s *Bolt) view(fn func(*bolt.Tx) error) error {
	select {
	case <-s.stop:
		return ErrClosed
	default:
	}
	return s.db.View(fn)
}

// Close stops the commit loop (after the group in progress) and closes the file.
func (s *Bolt) Close() error {
	select {
	case <-s.stop:
		return nil
	default:
	}
	close(s.stop)
	<-s.done
	// Fail writes that were queued but never committed.
	for {
		select {
		case op := <-s.ops:
			op.done <- ErrClosed
		default:
			return s.db.Close()
		}
	}
}

func getQueue(tx *bolt.Tx, rid []byte) (*record, error) {
	v := tx.Bucket(bktQueues).Get(rid)
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeRecord(v)
}

func putQueue(tx *bolt.Tx, r *record) error {
	return tx.Bucket(bktQueues).Put(r.q.RecipientID, r.encode())
}

func msgKey(rid []byte, seq uint64) []byte {
	k := make([]byte, len(rid)+8)
	copy(k, rid)
	for i := 0; i < 8; i++ {
		k[len(rid)+i] = byte(seq >> (56 - 8*i))
	}
	return k
}

func (s *Bolt) Create(ctx context.Context, q Queue) error {
	q = cloneQueue(q)
	op := &boltOp{refresh: []*record{{q: q}}}
	op.fn = func(tx *bolt.Tx) error {
		qs, ss := tx.Bucket(bktQueues), tx.Bucket(bktSender)
		if qs.Get(q.RecipientID) != nil || qs.Get(q.SenderID) != nil || ss.Get(q.SenderID) != nil || ss.Get(q.RecipientID) != nil {
			return ErrDuplicate
		}
		if err := ss.Put(q.SenderID, q.RecipientID); err != nil {
			return err
		}
		return putQueue(tx, &record{q: q})
	}
	return s.writeOp(ctx, op)
}

func (s *Bolt) ByRecipient(_ context.Context, rid []byte) (Queue, error) {
	r, err := s.record(rid, false)
	if err != nil {
		return Queue{}, err
	}
	return cloneQueue(r.q), nil
}

func (s *Bolt) BySender(_ context.Context, sid []byte) (Queue, error) {
	r, err := s.record(sid, true)
	if err != nil {
		return Queue{}, err
	}
	return cloneQueue(r.q), nil
}

// record returns the queue record by recipient id (or sender id), from the
// cache or from a read transaction (then caching it). Do not modify it.
func (s *Bolt) record(id []byte, bySender bool) (*record, error) {
	r, absent, gen := s.cache.lookup(id, bySender)
	if r != nil || absent {
		select {
		case <-s.stop:
			return nil, ErrClosed
		default:
		}
		if absent {
			return nil, ErrNotFound
		}
		return r, nil
	}
	err := s.view(func(tx *bolt.Tx) error {
		rid := id
		if bySender {
			if rid = tx.Bucket(bktSender).Get(id); rid == nil {
				return ErrNotFound
			}
		}
		var err error
		r, err = getQueue(tx, rid)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		s.cache.fillAbsent(id, bySender, gen)
	}
	if err != nil {
		return nil, err
	}
	s.cache.fill(r, gen)
	return r, nil
}

// update runs f on the queue record rid and writes it back if f succeeds.
func (s *Bolt) update(ctx context.Context, rid []byte, f func(*bolt.Tx, *record) error) error {
	rid = clone(rid)
	op := &boltOp{}
	op.fn = func(tx *bolt.Tx) error {
		r, err := getQueue(tx, rid)
		if err != nil {
			return err
		}
		if err := f(tx, r); err != nil {
			return err
		}
		op.put = r
		return putQueue(tx, r)
	}
	return s.writeOp(ctx, op)
}

func (s *Bolt) Secure(ctx context.Context, rid, key, mac []byte) error {
	key, mac = clone(key), clone(mac)
	return s.update(ctx, rid, func(_ *bolt.Tx, r *record) error {
		if _, ok := rules.Secure(&r.q, key, mac); !ok {
			return ErrAuth
		}
		return nil
	})
}

func (s *Bolt) Suspend(ctx context.Context, rid []byte) error {
	return s.update(ctx, rid, func(_ *bolt.Tx, r *record) error { r.q.Suspended = true; return nil })
}

func (s *Bolt) Delete(ctx context.Context, rid []byte) error {
	rid = clone(rid)
	op := &boltOp{}
	op.fn = func(tx *bolt.Tx) error {
		r, err := getQueue(tx, rid)
		if err != nil {
			return err
		}
		op.del = r
		if err := deleteMsgs(tx, rid, nil); err != nil {
			return err
		}
		if err := tx.Bucket(bktSender).Delete(r.q.SenderID); err != nil {
			return err
		}
		return tx.Bucket(bktQueues).Delete(rid)
	}
	return s.writeOp(ctx, op)
}

// deleteMsgs deletes the messages of rid up to and including the one whose
// id is upTo (all of them when upTo is nil). It returns ErrNoMsg, deleting
// nothing, when upTo is not found.
func deleteMsgs(tx *bolt.Tx, rid, upTo []byte) error {
	c := tx.Bucket(bktMsgs).Cursor()
	var keys [][]byte
	found := upTo == nil
	for k, v := c.Seek(rid); k != nil && bytes.HasPrefix(k, rid); k, v = c.Next() {
		keys = append(keys, clone(k))
		if upTo != nil && len(v) >= len(upTo) && bytes.Equal(v[:len(upTo)], upTo) {
			found = true
			break
		}
	}
	if !found {
		return ErrNoMsg
	}
	b := tx.Bucket(bktMsgs)
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

var errCorrupt = errors.New("store: corrupt record")

// Usage returns the bytes of the store in use (the file's pages up to its
// high-water mark, less those free for reuse) and the high-water mark.
// Deleting frees pages for later writes; the file never shrinks.
func (s *Bolt) Usage() (used, size int64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		size = tx.Size()
		used = size - int64(s.db.Stats().FreeAlloc)
		return nil
	})
	return used, size, err
}
