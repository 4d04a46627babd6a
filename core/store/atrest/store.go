package atrest

import (
	"context"
	"fmt"
	"sync"

	"github.com/sxweb/sxweb/core/store"
)

// Inner is what the decorator needs of the store below it.
type Inner interface {
	store.Store
	store.Scanner
	store.Resetter
	store.Tailer
}

// Store is the decorator: a store.Store (and Scanner, Resetter) whose
// values are sealed in the inner store.
type Store struct {
	inner Inner
	s     *sealer // nil: ModeNone
	opts  Options

	mu  sync.Mutex // hdr (SetPassphrase, FilesSealed)
	hdr header
}

var (
	_ store.Store    = (*Store)(nil)
	_ store.Scanner  = (*Store)(nil)
	_ store.Resetter = (*Store)(nil)
	_ store.Tailer   = (*Store)(nil)
)

// Mode is how the database's data key is kept.
func (s *Store) Mode() Mode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hdr.Mode
}

func (s *Store) sealValue(bucket, key string, v []byte) []byte {
	if s.s == nil || store.IsSystem(bucket) {
		return v
	}
	return s.s.seal(v, valueAD(bucket, key))
}

func (s *Store) openValue(bucket, key string, v []byte) ([]byte, error) {
	if s.s == nil || store.IsSystem(bucket) {
		return v, nil
	}
	out, err := s.s.open(v, valueAD(bucket, key))
	if err != nil {
		return nil, fmt.Errorf("%w: %s/%q", err, bucket, key)
	}
	return out, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if bucket == Bucket {
		return nil, store.ErrNotFound
	}
	v, err := s.inner.Get(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	return s.openValue(bucket, key, v)
}

// List implements store.Store.
func (s *Store) List(ctx context.Context, bucket, prefix string) ([]store.KV, error) {
	if bucket == Bucket {
		return nil, nil
	}
	kvs, err := s.inner.List(ctx, bucket, prefix)
	if err != nil {
		return nil, err
	}
	for i := range kvs {
		if kvs[i].Value, err = s.openValue(bucket, kvs[i].Key, kvs[i].Value); err != nil {
			return nil, err
		}
	}
	return kvs, nil
}

// Tail implements store.Tailer: only the records returned are opened.
func (s *Store) Tail(ctx context.Context, bucket, prefix, before string, limit int) ([]store.KV, error) {
	if bucket == Bucket {
		return nil, nil
	}
	kvs, err := s.inner.Tail(ctx, bucket, prefix, before, limit)
	if err != nil {
		return nil, err
	}
	for i := range kvs {
		if kvs[i].Value, err = s.openValue(bucket, kvs[i].Key, kvs[i].Value); err != nil {
			return nil, err
		}
	}
	return kvs, nil
}

// sealBatch is b with its values sealed (hooks stay with b).
func (s *Store) sealBatch(b *store.Batch) (*store.Batch, error) {
	out := &store.Batch{Ops: make([]store.Op, len(b.Ops))}
	for i, op := range b.Ops {
		if op.Bucket == Bucket {
			return nil, ErrReserved
		}
		if op.Value != nil {
			op.Value = s.sealValue(op.Bucket, op.Key, op.Value)
		}
		out.Ops[i] = op
	}
	return out, nil
}

// Apply implements store.Store: the values are sealed, then the batch
// goes to the inner store whole.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if b == nil || len(b.Ops) == 0 {
		return s.inner.Apply(ctx, b)
	}
	sealed, err := s.sealBatch(b)
	if err != nil {
		return err
	}
	return s.inner.Apply(ctx, sealed)
}

// Scan implements store.Scanner (the header's bucket left out: a page
// that held it is topped up from the inner store).
func (s *Store) Scan(ctx context.Context, after *store.Pos, limit int) ([]store.Record, error) {
	var out []store.Record
	for {
		want := limit - len(out)
		recs, err := s.inner.Scan(ctx, after, want)
		if err != nil {
			return nil, err
		}
		hidden := false
		for _, r := range recs {
			if r.Bucket == Bucket {
				hidden = true
				continue
			}
			if r.Value, err = s.openValue(r.Bucket, r.Key, r.Value); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if len(recs) < want || !hidden {
			return out, nil // the inner store ended, or the page is full
		}
		last := recs[len(recs)-1]
		after = &store.Pos{Bucket: last.Bucket, Key: last.Key}
	}
}

// Reset implements store.Resetter: the records go, the header (the key)
// stays.
func (s *Store) Reset(ctx context.Context, b *store.Batch) error {
	if b == nil {
		b = &store.Batch{}
	}
	sealed, err := s.sealBatch(b)
	if err != nil {
		return err
	}
	s.mu.Lock()
	h := s.hdr
	s.mu.Unlock()
	out := &store.Batch{}
	h.put(out)
	out.Append(sealed)
	return s.inner.Reset(ctx, out)
}

// Close closes the inner store.
func (s *Store) Close() error { return s.inner.Close() }

// SealPart seals part n of file id (file bytes kept outside the store);
// in ModeNone it returns plain as it is.
func (s *Store) SealPart(id string, n int, plain []byte) []byte {
	if s.s == nil {
		return plain
	}
	return s.s.seal(plain, partAD(id, n))
}

// OpenPart opens what SealPart sealed (ErrCorrupt if it does not open:
// damaged, or another part).
func (s *Store) OpenPart(id string, n int, sealed []byte) ([]byte, error) {
	if s.s == nil {
		return sealed, nil
	}
	return s.s.open(sealed, partAD(id, n))
}

// PartOverhead is what SealPart adds to a part (0 in ModeNone).
func (s *Store) PartOverhead() int {
	if s.s == nil {
		return 0
	}
	return Overhead
}

// Sealed reports whether values and parts are sealed (not ModeNone).
func (s *Store) Sealed() bool { return s.s != nil }
