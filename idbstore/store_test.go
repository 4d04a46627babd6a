//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall/js"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/storetest"
)

var dbSeq atomic.Int64

// openFresh opens a new, empty database and deletes it when t ends.
func openFresh(t *testing.T) (*Store, string) {
	t.Helper()
	name := fmt.Sprintf("idbstore-test-%d", dbSeq.Add(1))
	s, err := Open(context.Background(), name)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := DeleteDatabase(context.Background(), name); err != nil {
			t.Errorf("DeleteDatabase: %v", err)
		}
	})
	return s, name
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openFresh(t)
		return s
	})
}

func TestScanConformance(t *testing.T) {
	storetest.RunScan(t, func(t *testing.T) store.Store {
		s, _ := openFresh(t)
		return s
	})
}

func TestTailConformance(t *testing.T) {
	storetest.RunTail(t, func(t *testing.T) store.Store {
		s, _ := openFresh(t)
		return s
	})
}

// Reset also empties the files and keys object stores.
func TestResetClearsFilesAndKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	if err := s.Files().WritePart(ctx, "f", 0, []byte("bytes")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveKey(ctx, "k", safejs.Safe(js.ValueOf("v"))); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx, &store.Batch{}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Files().Size(ctx, "f"); err != nil || n != 0 {
		t.Fatalf("file bytes after Reset: %d, %v", n, err)
	}
	if v, err := s.LoadKey(ctx, "k"); err != nil || !v.IsUndefined() {
		t.Fatalf("key after Reset: %v, %v", v, err)
	}
}

// The reopen suite: each of its stores is one database, opened again by
// name and deleted when the subtest ends.
func TestReopenConformance(t *testing.T) {
	names := map[string]string{}
	storetest.RunReopen(t, func(t *testing.T, name string) store.Store {
		db, ok := names[name]
		if !ok {
			db = fmt.Sprintf("idbstore-reopen-%d", dbSeq.Add(1))
			names[name] = db
			t.Cleanup(func() {
				if err := DeleteDatabase(context.Background(), db); err != nil {
					t.Errorf("DeleteDatabase: %v", err)
				}
			})
		}
		s, err := Open(context.Background(), db)
		if err != nil {
			t.Fatalf("Open %s: %v", db, err)
		}
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	s, name := openFresh(t)
	var b store.Batch
	b.Put("c.msg", "0001", []byte("hello"))
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, err := s2.Get(ctx, "c.msg", "0001"); err != nil || string(v) != "hello" {
		t.Fatalf("after reopen: %q, %v", v, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	name := fmt.Sprintf("idbstore-newer-%d", dbSeq.Add(1))
	idb := safejs.MustGetGlobal("indexedDB")
	req, err := idb.Call("open", name, SchemaVersion+1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := awaitRequests(ctx, "open", req)
	if err != nil {
		t.Fatal(err)
	}
	res[0].Call("close")
	defer DeleteDatabase(ctx, name)
	if _, err := Open(ctx, name); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open of a newer database = %v, want ErrSchemaTooNew", err)
	}
}

func TestReopenHasSchema(t *testing.T) {
	ctx := context.Background()
	s, name := openFresh(t)
	s.Close()
	s2, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	names, _ := s2.db.Get("objectStoreNames")
	if n, _ := names.Length(); n != 3 { // kv, files, keys
		t.Fatalf("object stores after reopen: %d", n)
	}
	v, _ := s2.db.Get("version")
	if got, _ := v.Int(); got != SchemaVersion {
		t.Fatalf("version = %d", got)
	}
}

// A database made by the first release (version 1: the kv store only)
// opens at the current version with its data and the files store.
func TestUpgradeFromVersion1(t *testing.T) {
	ctx := context.Background()
	name := fmt.Sprintf("idbstore-v1-%d", dbSeq.Add(1))
	defer DeleteDatabase(ctx, name)
	old, err := openAt(ctx, name, 1)
	if err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	b.Put("c.msg", "0001", []byte("from v1"))
	if err := old.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Get(ctx, "c.msg", "0001"); err != nil || string(v) != "from v1" {
		t.Fatalf("after the upgrade: %q, %v", v, err)
	}
	if err := s.Files().WritePart(ctx, "f", 0, []byte("x")); err != nil {
		t.Fatalf("the files store after the upgrade: %v", err)
	}
}

func TestConcurrentApplies(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	const n = 20
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		var b store.Batch
		b.Put("b", "k", []byte{byte(i)})
		b.Put("b", fmt.Sprintf("k%02d", i), []byte{byte(i)})
		go func() { errs <- s.Apply(ctx, &b) }()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	kvs, err := s.List(ctx, "b", "k")
	if err != nil || len(kvs) != n+1 {
		t.Fatalf("List = %d records, %v", len(kvs), err)
	}
}

func TestCanceledApplyWritesNothing(t *testing.T) {
	s, _ := openFresh(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b store.Batch
	b.Put("b", "k", []byte("v"))
	if err := s.Apply(ctx, &b); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply with canceled ctx = %v", err)
	}
	if _, err := s.Get(context.Background(), "b", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after canceled Apply = %v", err)
	}
}

func TestDeletedByAnotherTabCloses(t *testing.T) {
	ctx := context.Background()
	s, name := openFresh(t)
	if err := DeleteDatabase(ctx, name); err != nil {
		t.Fatalf("DeleteDatabase while open: %v", err)
	}
	if _, err := s.Get(ctx, "b", "k"); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Get after the database was deleted = %v, want ErrClosed", err)
	}
}
