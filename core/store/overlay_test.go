package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

// An overlay reads its own writes over the store's, lists them in key
// order, and commits one op per key (the last write).
func TestOverlayReadsItsWrites(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	var b store.Batch
	b.Put("x", "a", []byte("1"))
	b.Put("x", "c", []byte("3"))
	b.Put("x", "d", []byte("4"))
	if err := st.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	o := store.NewOverlay(st)
	o.Put("x", "b", []byte("2"))
	o.Put("x", "b", []byte("22"))
	o.Del("x", "c")
	o.Put("y", "a", nil)
	if v, err := o.Get(ctx, "x", "b"); err != nil || string(v) != "22" {
		t.Fatalf("Get own write = %q, %v", v, err)
	}
	if _, err := o.Get(ctx, "x", "c"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of a key deleted here = %v, want ErrNotFound", err)
	}
	kvs, _ := o.List(ctx, "x", "")
	var keys string
	for _, kv := range kvs {
		keys += kv.Key + "=" + string(kv.Value) + " "
	}
	if keys != "a=1 b=22 d=4 " {
		t.Fatalf("List = %q", keys)
	}
	if n := o.Batch().Len(); n != 3 {
		t.Fatalf("batch has %d ops, want 3 (one per key)", n)
	}
	if err := store.Commit(ctx, st, o.Batch()); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Get(ctx, "x", "b"); string(v) != "22" {
		t.Fatalf("committed %q", v)
	}
	if v, err := st.Get(ctx, "y", "a"); err != nil || len(v) != 0 {
		t.Fatalf("empty value: %q, %v", v, err)
	}
}
