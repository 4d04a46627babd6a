//go:build !js

package boltstore

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/core/store"
)

// When one batch of a group fails inside the transaction, the others
// still commit, each whole, and the failing one writes nothing.
func TestGroupFailureIsolated(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A nested bbolt bucket where a record would go: Put of that key
	// fails with bbolt's ErrIncompatibleValue, which checkSizes cannot see.
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketName("x"))
		if err == nil {
			_, err = b.CreateBucket(encodeKey("trap"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	batch := func(f func(b *store.Batch)) *pending {
		var b store.Batch
		f(&b)
		return &pending{ops: b.Ops}
	}
	group := []*pending{
		batch(func(b *store.Batch) { b.Put("x", "a", []byte("1")); b.Put("y", "a", []byte("1")) }),
		batch(func(b *store.Batch) { b.Put("x", "b", []byte("2")); b.Put("x", "trap", []byte("2")) }),
		batch(func(b *store.Batch) { b.Put("x", "c", []byte("3")); b.Put("y", "c", []byte("3")) }),
	}
	errs := s.c.commit(group)
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errors = %v, want only the middle batch to fail", errs)
	}
	for _, k := range []string{"a", "c"} {
		for _, bucket := range []string{"x", "y"} {
			if _, err := s.Get(ctx, bucket, k); err != nil {
				t.Errorf("%s/%s of a good batch: %v", bucket, k, err)
			}
		}
	}
	if _, err := s.Get(ctx, "x", "b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("x/b of the failed batch: %v, want ErrNotFound", err)
	}
}

// A write or fsync that fails because the disk is full is store.ErrQuota
// (the wasm bridge and the agent know that one), and still says why.
func TestDiskFullIsQuota(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG} {
		err := applyErr(&fs.PathError{Op: "write", Path: "s.db", Err: errno})
		if !errors.Is(err, store.ErrQuota) || !errors.Is(err, errno) {
			t.Errorf("%v: %v does not match store.ErrQuota and the errno", errno, err)
		}
	}
	if err := applyErr(&fs.PathError{Op: "write", Path: "s.db", Err: syscall.EIO}); errors.Is(err, store.ErrQuota) {
		t.Errorf("EIO: %v matches store.ErrQuota", err)
	}
}
