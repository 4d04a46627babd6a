package memstore_test

import (
	"context"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/core/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
}

func TestCloneIsIndependent(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	b := &store.Batch{}
	b.Put("a", "k", []byte("v1"))
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	b = &store.Batch{}
	b.Put("a", "k", []byte("v2"))
	b.Put("a", "k2", []byte("x"))
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "a", "k"); err != nil || string(v) != "v1" {
		t.Fatalf("clone sees %q, %v", v, err)
	}
	if _, err := c.Get(ctx, "a", "k2"); err != store.ErrNotFound {
		t.Fatalf("clone sees a later key: %v", err)
	}
}
