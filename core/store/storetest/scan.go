package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

// RunScan is the suite of the optional capabilities store.Scanner and
// store.Resetter; open must return a new, empty store that has both.
func RunScan(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Empty", testScanEmpty},
		{"Order", testScanOrder},
		{"Pages", testScanPages},
		{"AfterMissing", testScanAfterMissing},
		{"SkipsDeleted", testScanSkipsDeleted},
		{"Copies", testScanCopies},
		{"Limit", testScanLimit},
		{"Reset", testReset},
		{"ResetEmpty", testResetEmpty},
		{"Closed", testScanClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if _, ok := s.(store.Scanner); !ok {
				t.Fatalf("%T is not a store.Scanner", s)
			}
			if _, ok := s.(store.Resetter); !ok {
				t.Fatalf("%T is not a store.Resetter", s)
			}
			tc.fn(t, s)
		})
	}
}

// scanRecords are in the order Scan must give them: bucket names that
// are prefixes of others, the empty key, high bytes in keys.
var scanRecords = []store.Record{
	{Bucket: "!sys", Key: "marker", Value: []byte("s")},
	{Bucket: "a", Key: "", Value: []byte("a-empty")},
	{Bucket: "a", Key: "k", Value: []byte("a-k")},
	{Bucket: "a", Key: "k\x00", Value: []byte("a-k0")},
	{Bucket: "a", Key: "k\xff\xff", Value: []byte("a-kff")},
	{Bucket: "a", Key: "zzz", Value: nil},
	{Bucket: "a.b", Key: "", Value: []byte("ab-empty")},
	{Bucket: "a.b", Key: "1", Value: []byte("ab-1")},
	{Bucket: "ab", Key: "0", Value: bytes.Repeat([]byte{0xff, 0}, 5000)},
	{Bucket: "c.msg", Key: "g1/0001", Value: []byte("m1")},
	{Bucket: "c.msg", Key: "g1/0002", Value: []byte("m2")},
	{Bucket: "z", Key: "\xff", Value: []byte("last")},
}

func putScanRecords(t *testing.T, s store.Store) {
	t.Helper()
	// written in reverse and across two batches: order comes from the store
	apply(t, s, func(b *store.Batch) {
		for i := len(scanRecords) - 1; i >= 6; i-- {
			r := scanRecords[i]
			b.Put(r.Bucket, r.Key, r.Value)
		}
	})
	apply(t, s, func(b *store.Batch) {
		for i := 5; i >= 0; i-- {
			r := scanRecords[i]
			b.Put(r.Bucket, r.Key, r.Value)
		}
	})
}

func scan(t *testing.T, s store.Store, after *store.Pos, limit int) []store.Record {
	t.Helper()
	recs, err := s.(store.Scanner).Scan(ctx, after, limit)
	if err != nil {
		t.Fatalf("Scan(%v, %d): %v", after, limit, err)
	}
	return recs
}

func sameRecords(t *testing.T, what string, got, want []store.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d: %s", what, len(got), len(want), describe(got))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Bucket != w.Bucket || g.Key != w.Key || !bytes.Equal(g.Value, w.Value) || g.Value == nil {
			t.Fatalf("%s: record %d is %q/%q (%d bytes), want %q/%q (%d bytes)", what, i,
				g.Bucket, g.Key, len(g.Value), w.Bucket, w.Key, len(w.Value))
		}
	}
}

func describe(rs []store.Record) string {
	var b bytes.Buffer
	for _, r := range rs {
		fmt.Fprintf(&b, "%q/%q ", r.Bucket, r.Key)
	}
	return b.String()
}

func testScanEmpty(t *testing.T, s store.Store) {
	if recs := scan(t, s, nil, 10); len(recs) != 0 {
		t.Fatalf("Scan of an empty store: %s", describe(recs))
	}
}

func testScanOrder(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	sameRecords(t, "Scan all", scan(t, s, nil, 1000), scanRecords)
	sameRecords(t, "Scan exact limit", scan(t, s, nil, len(scanRecords)), scanRecords)
}

// Every page size walks the same records: each page starts after the last
// record of the one before.
func testScanPages(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	for _, size := range []int{1, 2, 3, 5, 11, 12, 13} {
		var all []store.Record
		var after *store.Pos
		for pages := 0; ; pages++ {
			if pages > len(scanRecords)+1 {
				t.Fatalf("page size %d: the scan does not end", size)
			}
			recs := scan(t, s, after, size)
			all = append(all, recs...)
			if len(recs) < size {
				break
			}
			last := recs[len(recs)-1]
			after = &store.Pos{Bucket: last.Bucket, Key: last.Key}
		}
		sameRecords(t, fmt.Sprintf("pages of %d", size), all, scanRecords)
	}
}

// A position that is no record (deleted, or never there) still places the
// page: it starts at the first record after it.
func testScanAfterMissing(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	for _, c := range []struct {
		after store.Pos
		first int // index in scanRecords
	}{
		{store.Pos{Bucket: "a", Key: "j"}, 2},
		{store.Pos{Bucket: "a", Key: "k\x00\x00"}, 4},
		{store.Pos{Bucket: "a", Key: "zzzz"}, 6},
		{store.Pos{Bucket: "a.a", Key: "\xff"}, 6},
		{store.Pos{Bucket: "b", Key: ""}, 9},
		{store.Pos{Bucket: "", Key: ""}, 0},
		{store.Pos{Bucket: "zz", Key: ""}, len(scanRecords)},
	} {
		sameRecords(t, fmt.Sprintf("after %q/%q", c.after.Bucket, c.after.Key), scan(t, s, &c.after, 100), scanRecords[c.first:])
	}
}

func testScanSkipsDeleted(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	apply(t, s, func(b *store.Batch) {
		b.Delete("a.b", "")
		b.Delete("a.b", "1") // the whole bucket
		b.Delete("a", "k")
	})
	var want []store.Record
	for _, r := range scanRecords {
		if r.Bucket != "a.b" && (r.Bucket != "a" || r.Key != "k") {
			want = append(want, r)
		}
	}
	sameRecords(t, "after deletes", scan(t, s, nil, 100), want)
	sameRecords(t, "page after the emptied bucket", scan(t, s, &store.Pos{Bucket: "a", Key: "zzz"}, 100), want[5:])
}

func testScanCopies(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	recs := scan(t, s, nil, 100)
	for _, r := range recs {
		for i := range r.Value {
			r.Value[i] ^= 0xff
		}
	}
	sameRecords(t, "after changing a returned page", scan(t, s, nil, 100), scanRecords)
}

func testScanLimit(t *testing.T, s store.Store) {
	for _, limit := range []int{0, -1} {
		if _, err := s.(store.Scanner).Scan(ctx, nil, limit); !errors.Is(err, store.ErrScanLimit) {
			t.Fatalf("Scan with limit %d: %v, want ErrScanLimit", limit, err)
		}
	}
}

// Reset leaves exactly its batch; the store works on afterwards.
func testReset(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	var b store.Batch
	b.Put("!import", "state", []byte("1"))
	b.Put("a", "new", []byte("n"))
	if err := s.(store.Resetter).Reset(ctx, &b); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	want := []store.Record{{Bucket: "!import", Key: "state", Value: []byte("1")}, {Bucket: "a", Key: "new", Value: []byte("n")}}
	sameRecords(t, "after Reset", scan(t, s, nil, 100), want)
	if _, err := s.Get(ctx, "c.msg", "g1/0001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Reset: %v", err)
	}
	apply(t, s, func(b *store.Batch) { b.Put("c.msg", "g1/0001", []byte("again")) })
	if v := mustGet(t, s, "c.msg", "g1/0001"); string(v) != "again" {
		t.Fatalf("after Reset and Apply: %q", v)
	}
}

func testResetEmpty(t *testing.T, s store.Store) {
	putScanRecords(t, s)
	if err := s.(store.Resetter).Reset(ctx, &store.Batch{}); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if recs := scan(t, s, nil, 100); len(recs) != 0 {
		t.Fatalf("after an empty Reset: %s", describe(recs))
	}
}

func testScanClosed(t *testing.T, s store.Store) {
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.(store.Scanner).Scan(ctx, nil, 10); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Scan after Close: %v", err)
	}
	if err := s.(store.Resetter).Reset(ctx, &store.Batch{}); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Reset after Close: %v", err)
	}
}
