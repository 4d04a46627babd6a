//go:build !js

package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/sxweb/sxweb/core/store"
)

// Store is a store.Store on one bbolt file.
type Store struct {
	db *bolt.DB
	c  *committer

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Options configures Open. The zero value is ready to use.
type Options struct {
	// LockTimeout is how long Open waits for another holder of the file
	// to close it before failing with ErrLocked. Zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
}

// DefaultLockTimeout is the lock wait of Options{}. A process killed with
// kill -9 releases its lock at once, so a restart does not wait.
const DefaultLockTimeout = time.Second

// Open opens the store file at path, creating it (mode 0600) if it does not
// exist. The directory must exist. The file is locked until Close: a second
// Open of the same file, from this process or another one, waits up to
// opts.LockTimeout and then fails with an error wrapping ErrLocked.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %v)", ErrLocked, path, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	if err := db.Update(checkFormat); err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	return &Store{db: db, c: newCommitter(db)}, nil
}

// view runs fn in a read transaction; store.ErrClosed after Close.
func (s *Store) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.c.isClosed() {
		return store.ErrClosed
	}
	err := s.db.View(fn)
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) { // Close won the race
		return store.ErrClosed
	}
	return err
}

// Get returns a copy of the value of bucket/key, or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	var out []byte
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketName(bucket))
		if b == nil {
			return store.ErrNotFound
		}
		v := b.Get(encodeKey(key))
		if v == nil {
			return store.ErrNotFound
		}
		out = append(make([]byte, 0, len(v)), v...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// List returns copies of the records of bucket whose key starts with
// prefix, in key order, read in one transaction.
func (s *Store) List(ctx context.Context, bucket, prefix string) ([]store.KV, error) {
	var out []store.KV
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketName(bucket))
		if b == nil {
			return nil
		}
		p := encodeKey(prefix)
		c := b.Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			out = append(out, store.KV{Key: string(k[1:]), Value: append(make([]byte, 0, len(v)), v...)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Close waits for the batches already accepted by Apply to commit, then
// closes the file. Later calls of the other methods return
// store.ErrClosed; a second Close waits for the first and returns its
// result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.c.close()
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("boltstore: close: %w", err)
		}
	})
	return s.closeErr
}
