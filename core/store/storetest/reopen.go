package storetest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

// RunReopen is the suite for stores that keep their data: what was
// committed before Close is there, exactly, after a reopen. open returns
// the store called name, empty the first time and holding what was
// committed to it since; the suite closes every store it opens (the open
// function may clean up the underlying data at the end of t).
func RunReopen(t *testing.T, open func(t *testing.T, name string) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func() store.Store)
	}{
		{"KeepsCommitted", testReopenKeepsCommitted},
		{"AppendAfterReopen", testReopenAppend},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, func() store.Store { return open(t, "reopen-"+tc.name) })
		})
	}
}

// reopenData is a mix of what the contract allows: overwrites, deletes,
// the empty key, binary keys and values, an empty value, several buckets.
func reopenData(t *testing.T, s store.Store) map[string][]store.KV {
	big := make([]byte, 20000)
	for i := range big {
		big[i] = byte(i * 13)
	}
	apply(t, s, func(b *store.Batch) {
		b.Put("a.conn", "c1", []byte("first"))
		b.Put("a.conn", "c2", []byte("gone soon"))
		b.Put("a.conn", "", []byte("empty key"))
		b.Put("c.msg", "g1/\x00\xff", big)
		b.Put("c.msg", "g1/empty", nil)
	})
	apply(t, s, func(b *store.Batch) {
		b.Put("a.conn", "c1", []byte("second"))
		b.Delete("a.conn", "c2")
		b.Put("gone", "k", []byte("v"))
	})
	apply(t, s, func(b *store.Batch) { b.Delete("gone", "k") })
	return map[string][]store.KV{
		"a.conn": {{Key: "", Value: []byte("empty key")}, {Key: "c1", Value: []byte("second")}},
		"c.msg":  {{Key: "g1/\x00\xff", Value: big}, {Key: "g1/empty", Value: []byte{}}},
		"gone":   nil,
	}
}

func wantContents(t *testing.T, s store.Store, want map[string][]store.KV) {
	t.Helper()
	for bucket, kvs := range want {
		got, err := s.List(ctx, bucket, "")
		if err != nil {
			t.Fatalf("List %q after reopen: %v", bucket, err)
		}
		if len(got) != len(kvs) {
			t.Fatalf("List %q after reopen: %d records, want %d: %q", bucket, len(got), len(kvs), got)
		}
		for i := range kvs {
			if got[i].Key != kvs[i].Key || !bytes.Equal(got[i].Value, kvs[i].Value) {
				t.Fatalf("List %q after reopen: record %d is %q (%d bytes), want %q (%d bytes)",
					bucket, i, got[i].Key, len(got[i].Value), kvs[i].Key, len(kvs[i].Value))
			}
		}
	}
}

func closeStore(t *testing.T, s store.Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func testReopenKeepsCommitted(t *testing.T, open func() store.Store) {
	s := open()
	want := reopenData(t, s)
	closeStore(t, s)
	s = open()
	defer closeStore(t, s)
	wantContents(t, s, want)
}

// A reopened store takes new batches, and a second reopen has both.
func testReopenAppend(t *testing.T, open func() store.Store) {
	s := open()
	apply(t, s, func(b *store.Batch) { b.Put("log", "0001", []byte("one")) })
	closeStore(t, s)
	for i := 2; i <= 3; i++ {
		s = open()
		kvs, err := s.List(ctx, "log", "")
		if err != nil || len(kvs) != i-1 {
			t.Fatalf("reopen %d: List = %q, %v; want %d records", i, kvs, err, i-1)
		}
		apply(t, s, func(b *store.Batch) { b.Put("log", fmt.Sprintf("%04d", i), []byte{byte(i)}) })
		closeStore(t, s)
	}
	s = open()
	defer closeStore(t, s)
	kvs, err := s.List(ctx, "log", "")
	if err != nil || len(kvs) != 3 || kvs[2].Key != "0003" {
		t.Fatalf("after the last reopen: %q, %v; want 0001..0003", kvs, err)
	}
}
