// Package storetest is the conformance suite every store.Store passes:
// memstore natively, idbstore under Node (fake-indexeddb) and in Chromium.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

// Run runs the suite. open must return a new, empty store each call.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"GetMissing", testGetMissing},
		{"PutGet", testPutGet},
		{"DeleteInBatch", testDeleteInBatch},
		{"LaterWriteWins", testLaterWriteWins},
		{"ListPrefixOrdered", testListPrefixOrdered},
		{"BucketsSeparate", testBucketsSeparate},
		{"EmptyValue", testEmptyValue},
		{"ValuesAreCopies", testValuesAreCopies},
		{"BinaryValues", testBinaryValues},
		{"ManyKeys", testManyKeys},
		{"DeleteThenPut", testDeleteThenPut},
		{"EmptyKey", testEmptyKey},
		{"ListPrefixHighBytes", testListPrefixHighBytes},
		{"ListEmptiedBucket", testListEmptiedBucket},
		{"ReadersSeeWholeBatches", testReadersSeeWholeBatches},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

func apply(t *testing.T, s store.Store, f func(b *store.Batch)) {
	t.Helper()
	var b store.Batch
	f(&b)
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func mustGet(t *testing.T, s store.Store, bucket, key string) []byte {
	t.Helper()
	v, err := s.Get(ctx, bucket, key)
	if err != nil {
		t.Fatalf("Get(%q,%q): %v", bucket, key, err)
	}
	return v
}

func testGetMissing(t *testing.T, s store.Store) {
	if _, err := s.Get(ctx, "b", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get missing = %v, want ErrNotFound", err)
	}
	kvs, err := s.List(ctx, "b", "")
	if err != nil || len(kvs) != 0 {
		t.Fatalf("List empty bucket = %v, %v", kvs, err)
	}
}

func testPutGet(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("v1")); b.Put("b", "k2", []byte("v2")) })
	if v := mustGet(t, s, "b", "k"); string(v) != "v1" {
		t.Fatalf("got %q", v)
	}
	if v := mustGet(t, s, "b", "k2"); string(v) != "v2" {
		t.Fatalf("got %q", v)
	}
}

func testDeleteInBatch(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "a", []byte("1")); b.Put("b", "c", []byte("3")) })
	apply(t, s, func(b *store.Batch) { b.Delete("b", "a"); b.Put("b", "d", []byte("4")); b.Delete("b", "missing") })
	if _, err := s.Get(ctx, "b", "a"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted key: %v", err)
	}
	if v := mustGet(t, s, "b", "d"); string(v) != "4" {
		t.Fatalf("got %q", v)
	}
}

func testLaterWriteWins(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("1")); b.Put("b", "k", []byte("2")) })
	if v := mustGet(t, s, "b", "k"); string(v) != "2" {
		t.Fatalf("got %q", v)
	}
	apply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("3")); b.Delete("b", "k") })
	if _, err := s.Get(ctx, "b", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("put then delete: %v", err)
	}
}

func testListPrefixOrdered(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) {
		for _, k := range []string{"m/2", "m/10", "m/1", "n/1", "m", "l/9"} {
			b.Put("b", k, []byte(k))
		}
	})
	kvs, err := s.List(ctx, "b", "m/")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range kvs {
		keys = append(keys, kv.Key)
		if string(kv.Value) != kv.Key {
			t.Fatalf("value of %q = %q", kv.Key, kv.Value)
		}
	}
	if fmt.Sprint(keys) != "[m/1 m/10 m/2]" {
		t.Fatalf("List m/ = %v", keys)
	}
	all, _ := s.List(ctx, "b", "")
	if len(all) != 6 || all[0].Key != "l/9" || all[5].Key != "n/1" {
		t.Fatalf("List all = %v", all)
	}
}

func testBucketsSeparate(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("x", "k", []byte("x")); b.Put("y", "k", []byte("y")) })
	if v := mustGet(t, s, "x", "k"); string(v) != "x" {
		t.Fatalf("got %q", v)
	}
	kvs, _ := s.List(ctx, "y", "")
	if len(kvs) != 1 || string(kvs[0].Value) != "y" {
		t.Fatalf("List y = %v", kvs)
	}
}

func testEmptyValue(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "e", nil) })
	v, err := s.Get(ctx, "b", "e")
	if err != nil || len(v) != 0 {
		t.Fatalf("empty value = %q, %v", v, err)
	}
	if err := s.Apply(ctx, &store.Batch{}); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
}

func testValuesAreCopies(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("abc")) })
	v := mustGet(t, s, "b", "k")
	v[0] = 'z'
	if v2 := mustGet(t, s, "b", "k"); string(v2) != "abc" {
		t.Fatalf("stored value changed through returned slice: %q", v2)
	}
}

func testBinaryValues(t *testing.T, s store.Store) {
	val := make([]byte, 70000)
	for i := range val {
		val[i] = byte(i * 7)
	}
	key := "bin/\x00\xff\u00e9"
	apply(t, s, func(b *store.Batch) { b.Put("b", key, val) })
	if v := mustGet(t, s, "b", key); !bytes.Equal(v, val) {
		t.Fatalf("binary value changed (len %d)", len(v))
	}
}

func testManyKeys(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) {
		for i := 0; i < 500; i++ {
			b.Put("many", fmt.Sprintf("%08d", i), []byte{byte(i)})
		}
	})
	kvs, err := s.List(ctx, "many", "000000")
	if err != nil || len(kvs) != 100 {
		t.Fatalf("List 000000 = %d, %v", len(kvs), err)
	}
	if kvs[99].Key != "00000099" {
		t.Fatalf("last = %q", kvs[99].Key)
	}
}

func testClosed(t *testing.T, s store.Store) {
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "b", "k"); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Get after close = %v", err)
	}
	if _, err := s.List(ctx, "b", ""); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("List after close = %v", err)
	}
	var b store.Batch
	b.Put("b", "k", []byte("v"))
	if err := s.Apply(ctx, &b); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Apply after close = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
}
