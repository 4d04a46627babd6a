// Package store is the storage contract of the core: an ordered key-value
// store with atomic batches. The agent and the chat layer keep all their
// state in it (connections, queues, ratchet state, outbox, seen ids,
// profiles, contacts, groups, members, messages), each under its own
// buckets, and commit what belongs together in one Batch.
//
// Layer: the bottom of core; it imports nothing of the project.
// Implementations: memstore (tests, in-process tools), idbstore (IndexedDB
// in the browser) and boltstore (a bbolt file, native clients). All pass
// the conformance suite in storetest; the durable ones also its reopen
// suite.
//
// Why a key-value contract and not typed tables: IndexedDB transactions
// auto-commit as soon as no request is pending, so the core reads what it
// needs first, computes in Go, and then writes everything in one short
// transaction. A Batch of puts and deletes is exactly that write, and the
// typed records live with the packages that own them.
//
// Concurrency: implementations are safe for concurrent use. Apply is atomic
// (all of a Batch or none of it is visible, also after a crash) and
// batches are applied in the order Apply is called. Reads see every batch
// whose Apply has returned.
package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Get when the key does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrQuota is returned (wrapped) by Apply when the storage is full; nothing
// of the batch was written.
var ErrQuota = errors.New("store: storage quota exceeded")

// ErrClosed is returned after Close.
var ErrClosed = errors.New("store: closed")

// ErrScanLimit is returned by Scan for a limit that is not positive.
var ErrScanLimit = errors.New("store: scan limit must be positive")

// KV is one record.
type KV struct {
	Key   string
	Value []byte
}

// Store is the contract every store implements.
//
// Buckets are short ASCII names ("conn", "msg", ...); keys are arbitrary
// strings compared bytewise (callers that need numeric order encode numbers
// as fixed-width big-endian hex or similar). Values are opaque bytes; a
// store must return a copy the caller may keep.
type Store interface {
	// Get returns the value of key in bucket, or ErrNotFound.
	Get(ctx context.Context, bucket, key string) ([]byte, error)
	// List returns the records of bucket whose key starts with prefix,
	// ordered by key. An empty prefix lists the whole bucket.
	List(ctx context.Context, bucket, prefix string) ([]KV, error)
	// Apply writes the batch atomically. An empty batch is a no-op.
	Apply(ctx context.Context, b *Batch) error
	// Close releases the store; later calls return ErrClosed.
	Close() error
}

// Record is one record as Scan returns it: its bucket, key and value.
type Record struct {
	Bucket string
	Key    string
	Value  []byte
}

// Pos is a position in the order Scan walks: by bucket, then by key, both
// bytewise.
type Pos struct {
	Bucket string
	Key    string
}

// Scanner is the optional capability of a Store to walk every record of
// every bucket in (bucket, key) order, a page at a time. Export reads a
// whole database this way: its memory is bounded by a page, not by the
// history. memstore, boltstore and idbstore implement it (storetest checks).
type Scanner interface {
	// Scan returns up to limit records (limit > 0, else an error) coming
	// strictly after *after in (bucket, key) order, from the first record
	// of the store when after is nil. A page shorter than limit is the
	// last one. Each page is one read: a batch applied between two calls
	// may show in the later page only (callers that need one consistent
	// copy keep writers out meanwhile).
	Scan(ctx context.Context, after *Pos, limit int) ([]Record, error)
}

// Tailer is the optional capability of a Store to read the end of a key
// range and nothing more: a page of a chat's history (the newest messages
// before one) without reading the records around it, which at rest must
// all be opened. memstore, boltstore and idbstore implement it.
type Tailer interface {
	// Tail returns the last limit records (limit > 0, else an error) of
	// bucket whose keys start with prefix and, when before is not "",
	// sort before it; in key order.
	Tail(ctx context.Context, bucket, prefix, before string, limit int) ([]KV, error)
}

// Resetter is the optional capability of a Store to empty itself
// atomically (an import replacing a database).
type Resetter interface {
	// Reset deletes every record of every bucket, and whatever else the
	// store keeps for the database (idbstore: file bytes and keys), then
	// applies b, as one atomic step: after a crash the store holds either
	// what it held before or exactly b.
	Reset(ctx context.Context, b *Batch) error
}

// SystemPrefix starts the names of buckets that belong to the storage
// layers below the core (the at-rest encryption header, the import
// marker): the core never names one, an export skips them, and the
// at-rest encryption keeps them in clear (they must be readable before a
// key is unlocked, and hold no secret).
const SystemPrefix = "!"

// IsSystem reports whether bucket is a system bucket (SystemPrefix).
func IsSystem(bucket string) bool { return len(bucket) > 0 && bucket[0] == SystemPrefix[0] }

// Op is one write of a Batch.
type Op struct {
	Bucket string
	Key    string
	Value  []byte // nil means delete
}

// Batch collects writes that must land together. Later writes to the same
// key win. The zero value is an empty batch, ready to use.
//
// A batch also carries commit hooks (OnCommit): effects that must happen
// only once its writes have landed, such as events announcing them. Apply
// ignores hooks; whoever applies a batch calls Commit, which runs them.
type Batch struct {
	Ops   []Op
	hooks []func()
}

// OnCommit registers f to run after the batch commits (see Commit), after
// the hooks registered before it. f must not block: it runs on the
// committer's goroutine, possibly under the committer's locks.
func (b *Batch) OnCommit(f func()) {
	b.hooks = append(b.hooks, f)
}

// Commit applies b to s and, only if that succeeds, runs b's commit hooks
// in registration order, once: they are cleared before they run. When
// Apply fails nothing runs and the hooks stay, so a retry of the same
// batch runs them once it commits; a caller that builds a new batch for
// the retry drops the old one with its hooks.
func Commit(ctx context.Context, s Store, b *Batch) error {
	if err := s.Apply(ctx, b); err != nil {
		return err
	}
	hooks := b.hooks
	b.hooks = nil
	for _, f := range hooks {
		f()
	}
	return nil
}

// Put records a write of value under bucket/key. The batch keeps value as
// given: do not modify it afterwards.
func (b *Batch) Put(bucket, key string, value []byte) {
	if value == nil {
		value = []byte{}
	}
	b.Ops = append(b.Ops, Op{Bucket: bucket, Key: key, Value: value})
}

// Delete records the removal of bucket/key (no error if it is absent).
func (b *Batch) Delete(bucket, key string) {
	b.Ops = append(b.Ops, Op{Bucket: bucket, Key: key})
}

// Len is the number of writes recorded.
func (b *Batch) Len() int { return len(b.Ops) }

// Append adds all writes of other after those of b, and other's commit
// hooks after b's.
func (b *Batch) Append(other *Batch) {
	if other != nil {
		b.Ops = append(b.Ops, other.Ops...)
		b.hooks = append(b.hooks, other.hooks...)
	}
}
