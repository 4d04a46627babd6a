// Package memstore is an in-memory store.Store for tests and native tools.
// It keeps everything in a map guarded by one mutex; Apply is atomic
// because it holds the lock for the whole batch.
package memstore

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/sxweb/sxweb/core/store"
)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu      sync.RWMutex
	buckets map[string]map[string][]byte
	closed  bool
	// FailApply, when set, makes Apply fail with this error before writing
	// anything; tests use it to simulate a full quota.
	FailApply error
}

// New returns an empty store.
func New() *Store {
	return &Store{buckets: map[string]map[string][]byte{}}
}

func clone(b []byte) []byte { return append([]byte{}, b...) }

// Get implements store.Store.
func (s *Store) Get(_ context.Context, bucket, key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	v, ok := s.buckets[bucket][key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(v), nil
}

// List implements store.Store.
func (s *Store) List(_ context.Context, bucket, prefix string) ([]store.KV, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.KV
	for k, v := range s.buckets[bucket] {
		if strings.HasPrefix(k, prefix) {
			out = append(out, store.KV{Key: k, Value: clone(v)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Apply implements store.Store.
func (s *Store) Apply(_ context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	if s.FailApply != nil {
		return s.FailApply
	}
	for _, op := range b.Ops {
		m := s.buckets[op.Bucket]
		if op.Value == nil {
			delete(m, op.Key)
			continue
		}
		if m == nil {
			m = map[string][]byte{}
			s.buckets[op.Bucket] = m
		}
		m[op.Key] = clone(op.Value)
	}
	return nil
}

// Clone returns an independent copy of every record, taken atomically
// (between two Applies): a backup, or the disk of a process that crashed
// at that moment.
func (s *Store) Clone() *Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := New()
	for b, m := range s.buckets {
		c := make(map[string][]byte, len(m))
		for k, v := range m {
			c[k] = clone(v)
		}
		n.buckets[b] = c
	}
	return n
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
