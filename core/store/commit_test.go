package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

// failing fails the next fail Applies, then applies to the memory store.
type failing struct {
	store.Store
	fail int
}

var errBoom = errors.New("boom")

func (f *failing) Apply(ctx context.Context, b *store.Batch) error {
	if f.fail > 0 {
		f.fail--
		return errBoom
	}
	return f.Store.Apply(ctx, b)
}

func TestCommitRunsHooksOnceInOrderAfterApply(t *testing.T) {
	ctx := context.Background()
	st := &failing{Store: memstore.New(), fail: 1}
	var ran []string
	b := &store.Batch{}
	b.Put("k", "a", []byte("1"))
	b.OnCommit(func() {
		if _, err := st.Get(ctx, "k", "a"); err != nil {
			t.Errorf("hook ran before the write landed: %v", err)
		}
		ran = append(ran, "first")
	})
	other := &store.Batch{}
	other.OnCommit(func() { ran = append(ran, "second") })
	b.Append(other)
	if err := store.Commit(ctx, st, b); !errors.Is(err, errBoom) {
		t.Fatalf("Commit = %v, want the Apply error", err)
	}
	if len(ran) != 0 {
		t.Fatalf("hooks ran for a batch that did not commit: %v", ran)
	}
	if err := store.Commit(ctx, st, b); err != nil {
		t.Fatal(err)
	}
	if err := store.Commit(ctx, st, b); err != nil {
		t.Fatal(err)
	}
	if want := []string{"first", "second"}; !slices.Equal(ran, want) {
		t.Fatalf("hooks ran %v, want %v once each", ran, want)
	}
}

func TestApplyAloneRunsNoHooks(t *testing.T) {
	b := &store.Batch{}
	b.OnCommit(func() { t.Error("Apply ran a hook") })
	if err := memstore.New().Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}
