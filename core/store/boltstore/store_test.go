//go:build !js

package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/boltstore"
	"github.com/sxweb/sxweb/core/store/storetest"
)

var ctx = context.Background()

// openTemp opens a new store in t's temp dir and closes it when t ends.
func openTemp(t *testing.T) (*boltstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openTemp(t)
		return s
	})
}

func TestScanConformance(t *testing.T) {
	storetest.RunScan(t, func(t *testing.T) store.Store {
		s, _ := openTemp(t)
		return s
	})
}

func TestTailConformance(t *testing.T) {
	storetest.RunTail(t, func(t *testing.T) store.Store {
		s, _ := openTemp(t)
		return s
	})
}

func TestReopenConformance(t *testing.T) {
	dir := t.TempDir()
	storetest.RunReopen(t, func(t *testing.T, name string) store.Store {
		s, err := boltstore.Open(filepath.Join(dir, name+".db"), boltstore.Options{})
		if err != nil {
			t.Fatalf("Open %s: %v", name, err)
		}
		return s
	})
}

func mustApply(t *testing.T, s store.Store, f func(b *store.Batch)) {
	t.Helper()
	var b store.Batch
	f(&b)
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// A second Open of a file in use fails with ErrLocked after the timeout
// instead of hanging; once the first store is closed, Open succeeds.
func TestSecondOpenIsRefusedWhileInUse(t *testing.T) {
	s, path := openTemp(t)
	mustApply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("v")) })
	_, err := boltstore.Open(path, boltstore.Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, boltstore.ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Open = %v, want ErrLocked naming %s", err, path)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := boltstore.Open(path, boltstore.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	defer s2.Close()
	if v, err := s2.Get(ctx, "b", "k"); err != nil || string(v) != "v" {
		t.Fatalf("Get after reopen = %q, %v", v, err)
	}
}

// Open refuses a bbolt file that holds something else, and one written by a
// newer format, without changing either.
func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		fill func(tx *bolt.Tx) error
		want error
	}{
		{"foreign", func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("q")); return err }, boltstore.ErrNotStore},
		{"newer", func(tx *bolt.Tx) error {
			m, err := tx.CreateBucket([]byte("meta"))
			if err != nil {
				return err
			}
			return m.Put([]byte("format"), []byte("2"))
		}, boltstore.ErrFormatTooNew},
	} {
		path := filepath.Join(dir, tc.name+".db")
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(tc.fill); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := boltstore.Open(path, boltstore.Options{}); !errors.Is(err, tc.want) {
			t.Errorf("%s file: Open = %v, want %v", tc.name, err, tc.want)
		}
		db, err = bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		buckets := 0
		db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func([]byte, *bolt.Bucket) error { buckets++; return nil })
		})
		db.Close()
		if buckets != 1 {
			t.Errorf("%s file: %d buckets after the refused Open, want 1 (untouched)", tc.name, buckets)
		}
	}
}

// A batch with a key bbolt cannot hold fails whole, before anything is
// written; the longest allowed key and bucket name work.
func TestTooLargeFailsWholeBatch(t *testing.T) {
	s, _ := openTemp(t)
	long := strings.Repeat("k", boltstore.MaxKeyLen)
	mustApply(t, s, func(b *store.Batch) { b.Put(long, long, []byte("max")) })
	if v, err := s.Get(ctx, long, long); err != nil || string(v) != "max" {
		t.Fatalf("longest key: %q, %v", v, err)
	}
	var b store.Batch
	b.Put("b", "first", []byte("1"))
	b.Put("b", long+"x", []byte("2"))
	if err := s.Apply(ctx, &b); !errors.Is(err, boltstore.ErrTooLarge) {
		t.Fatalf("Apply with a key of MaxKeyLen+1 = %v, want ErrTooLarge", err)
	}
	if _, err := s.Get(ctx, "b", "first"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the rest of the refused batch was written: %v", err)
	}
}

// Batches applied from many goroutines all land, each whole, and a batch
// whose Apply returned before Close survives the reopen; Apply after Close
// fails with ErrClosed and writes nothing.
func TestConcurrentAppliesAndClose(t *testing.T) {
	s, path := openTemp(t)
	const writers, perWriter = 16, 20
	var mu sync.Mutex
	landed := map[string]bool{}
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("w%02d/%04d", w, i)
				var b store.Batch
				b.Put("a", key, []byte(key))
				b.Put("b", key, []byte(key))
				err := s.Apply(ctx, &b)
				if errors.Is(err, store.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("Apply: %v", err)
					return
				}
				mu.Lock()
				landed[key] = true
				enough := len(landed) == writers*perWriter
				mu.Unlock()
				if enough {
					s.Close() // while the other writers are still applying
				}
			}
		}()
	}
	wg.Wait()
	s2, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	as, _ := s2.List(ctx, "a", "")
	bs, _ := s2.List(ctx, "b", "")
	if len(as) != len(bs) {
		t.Fatalf("after reopen: %d records in a, %d in b: a batch landed in part", len(as), len(bs))
	}
	for i := range as {
		if as[i].Key != bs[i].Key {
			t.Fatalf("record %d: %q in a, %q in b", i, as[i].Key, bs[i].Key)
		}
	}
	found := map[string]bool{}
	for _, kv := range as {
		found[kv.Key] = true
	}
	for key := range landed {
		if !found[key] {
			t.Errorf("%s: Apply returned nil before Close, missing after reopen", key)
		}
	}
	if len(landed) < writers*perWriter {
		t.Fatalf("only %d batches landed", len(landed))
	}
}
