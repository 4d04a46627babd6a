package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

// RunTail is the suite of the optional capability store.Tailer; open must
// return a new, empty store that has it.
func RunTail(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Tailer, st store.Store)
	}{
		{"Pages", testTailPages},
		{"HighBytes", testTailHighBytes},
		{"Limit", testTailLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tl, ok := s.(store.Tailer)
			if !ok {
				t.Fatalf("%T is not a store.Tailer", s)
			}
			tc.fn(t, tl, s)
		})
	}
}

func tailKeys(t *testing.T, s store.Tailer, bucket, prefix, before string, limit int) []string {
	t.Helper()
	kvs, err := s.Tail(ctx, bucket, prefix, before, limit)
	if err != nil {
		t.Fatalf("Tail(%q, %q, %q, %d): %v", bucket, prefix, before, limit, err)
	}
	keys := []string{}
	for _, kv := range kvs {
		if string(kv.Value) != "v"+kv.Key {
			t.Fatalf("value of %q = %q", kv.Key, kv.Value)
		}
		keys = append(keys, kv.Key)
	}
	return keys
}

// The tail of every (before, limit) is the matching slice of the prefix's
// records; other prefixes and buckets stay out.
func testTailPages(t *testing.T, s store.Tailer, st store.Store) {
	var keys []string
	apply(t, st, func(b *store.Batch) {
		for i := range 40 {
			k := fmt.Sprintf("g1/%04x", i*3)
			keys = append(keys, k)
			b.Put("c.msg", k, []byte("v"+k))
		}
		b.Put("c.msg", "g0/ffff", []byte("vg0/ffff"))
		b.Put("c.msg", "g2/0000", []byte("vg2/0000"))
		b.Put("c.msh", "g1/0001", []byte("vg1/0001"))
	})
	for _, limit := range []int{1, 5, 40, 100} {
		for _, end := range []int{40, 39, 20, 1, 0} {
			before := ""
			if end < 40 {
				before = keys[end]
			}
			want := keys[max(0, end-limit):end]
			if got := tailKeys(t, s, "c.msg", "g1/", before, limit); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("limit %d before %q: %q, want %q", limit, before, got, want)
			}
		}
	}
	// a bound between records, and one past the prefix
	if got := tailKeys(t, s, "c.msg", "g1/", "g1/0004", 2); fmt.Sprint(got) != "[g1/0000 g1/0003]" {
		t.Fatalf("before a key that is no record: %q", got)
	}
	if got := tailKeys(t, s, "c.msg", "g1/", "g9", 1); fmt.Sprint(got) != "[g1/0075]" {
		t.Fatalf("before past the prefix: %q", got)
	}
	if got := tailKeys(t, s, "c.msg", "g3/", "", 5); len(got) != 0 {
		t.Fatalf("a prefix without records: %q", got)
	}
	if got := tailKeys(t, s, "nothing", "", "", 5); len(got) != 0 {
		t.Fatalf("a bucket without records: %q", got)
	}
}

func testTailHighBytes(t *testing.T, s store.Tailer, st store.Store) {
	keys := []string{"a", "a\xff", "a\xff\x00", "a\xff\xff", "a\xff\xff\xff", "b", "\xff"}
	apply(t, st, func(b *store.Batch) {
		for _, k := range keys {
			b.Put("h", k, []byte("v"+k))
		}
	})
	for _, c := range []struct {
		prefix, before string
		limit          int
		want           string
	}{
		{"a\xff", "", 2, fmt.Sprintf("%q", []string{"a\xff\xff", "a\xff\xff\xff"})},
		{"a\xff\xff", "", 5, fmt.Sprintf("%q", []string{"a\xff\xff", "a\xff\xff\xff"})},
		{"\xff", "", 5, fmt.Sprintf("%q", []string{"\xff"})},
		{"", "", 2, fmt.Sprintf("%q", []string{"b", "\xff"})},
		{"a", "a\xff\xff", 10, fmt.Sprintf("%q", []string{"a", "a\xff", "a\xff\x00"})},
	} {
		if got := fmt.Sprintf("%q", tailKeys(t, s, "h", c.prefix, c.before, c.limit)); got != c.want {
			t.Errorf("Tail(%q, before %q, %d) = %s, want %s", c.prefix, c.before, c.limit, got, c.want)
		}
	}
}

func testTailLimit(t *testing.T, s store.Tailer, _ store.Store) {
	for _, limit := range []int{0, -1} {
		if _, err := s.Tail(ctx, "b", "", "", limit); !errors.Is(err, store.ErrScanLimit) {
			t.Fatalf("Tail with limit %d: %v, want ErrScanLimit", limit, err)
		}
	}
}
