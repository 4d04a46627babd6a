package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

func testDeleteThenPut(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "k", []byte("old")) })
	apply(t, s, func(b *store.Batch) { b.Delete("b", "k"); b.Put("b", "k", []byte("new")) })
	if v := mustGet(t, s, "b", "k"); string(v) != "new" {
		t.Fatalf("delete then put in one batch: got %q, want new", v)
	}
}

// The empty string is a key like any other, and the first in order.
func testEmptyKey(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("b", "a", []byte("A")); b.Put("b", "", []byte("E")) })
	if v := mustGet(t, s, "b", ""); string(v) != "E" {
		t.Fatalf("Get of the empty key = %q", v)
	}
	kvs, err := s.List(ctx, "b", "")
	if err != nil || len(kvs) != 2 || kvs[0].Key != "" || string(kvs[0].Value) != "E" || kvs[1].Key != "a" {
		t.Fatalf("List = %q, %v; want the empty key first, then a", kvs, err)
	}
	apply(t, s, func(b *store.Batch) { b.Delete("b", "") })
	if _, err := s.Get(ctx, "b", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of the deleted empty key = %v", err)
	}
}

// A prefix ending in 0xff bytes still lists exactly the keys that start
// with it (a store that computes an upper bound must not cut them off).
func testListPrefixHighBytes(t *testing.T, s store.Store) {
	keys := []string{"a", "a\xfe\xff", "a\xff", "a\xff\x00", "a\xff\xff", "a\xff\xff\xff", "b", "\xff"}
	apply(t, s, func(b *store.Batch) {
		for _, k := range keys {
			b.Put("b", k, []byte(k))
		}
	})
	for prefix, want := range map[string][]string{
		"a\xff":     {"a\xff", "a\xff\x00", "a\xff\xff", "a\xff\xff\xff"},
		"a\xff\xff": {"a\xff\xff", "a\xff\xff\xff"},
		"\xff":      {"\xff"},
		"a":         {"a", "a\xfe\xff", "a\xff", "a\xff\x00", "a\xff\xff", "a\xff\xff\xff"},
	} {
		kvs, err := s.List(ctx, "b", prefix)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, kv := range kvs {
			got = append(got, kv.Key)
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("List(%q) = %q, want %q", prefix, got, want)
		}
	}
}

// A bucket whose records were all deleted lists as empty, like one that
// never existed.
func testListEmptiedBucket(t *testing.T, s store.Store) {
	apply(t, s, func(b *store.Batch) { b.Put("gone", "k1", []byte("1")); b.Put("gone", "k2", []byte("2")) })
	apply(t, s, func(b *store.Batch) { b.Delete("gone", "k1"); b.Delete("gone", "k2") })
	for _, bucket := range []string{"gone", "never"} {
		kvs, err := s.List(ctx, bucket, "")
		if err != nil || len(kvs) != 0 {
			t.Fatalf("List %q = %q, %v; want nothing", bucket, kvs, err)
		}
	}
}

// A reader running beside a writer sees each batch whole: the two records
// every batch writes, read in one List, always agree, and never go back.
func testReadersSeeWholeBatches(t *testing.T, s store.Store) {
	const batches = 50
	werr := make(chan error, 1)
	go func() {
		for i := 1; i <= batches; i++ {
			var b store.Batch
			b.Put("pair", "x", []byte(fmt.Sprintf("%03d", i)))
			b.Put("pair", "y", []byte(fmt.Sprintf("%03d", i)))
			if err := s.Apply(ctx, &b); err != nil {
				werr <- err
				return
			}
		}
		werr <- nil
	}()
	last := ""
	for writing := true; writing; {
		select {
		case err := <-werr:
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			writing = false // one more read below sees the last batch
		default:
		}
		kvs, err := s.List(ctx, "pair", "")
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(kvs) == 0 {
			continue // the first batch has not landed yet
		}
		if len(kvs) != 2 || string(kvs[0].Value) != string(kvs[1].Value) {
			t.Fatalf("List saw half a batch: %q", kvs)
		}
		if v := string(kvs[0].Value); v < last {
			t.Fatalf("List went back from batch %s to %s", last, v)
		} else {
			last = v
		}
	}
	if want := fmt.Sprintf("%03d", batches); last != want {
		t.Fatalf("after the last Apply returned, List saw batch %s, want %s", last, want)
	}
}
