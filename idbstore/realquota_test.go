//go:build js && wasm

package idbstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

// TestRealQuota fills the browser's storage until it refuses: the refused
// batch is store.ErrQuota and none of it lands, everything before it stays,
// and deleting frees the room again. It needs a real browser with a small
// quota (the Chromium runner sets one and says so in SXWEB_TEST_QUOTA).
func TestRealQuota(t *testing.T) {
	quota, _ := strconv.Atoi(os.Getenv("SXWEB_TEST_QUOTA"))
	if quota == 0 {
		t.Skip("SXWEB_TEST_QUOTA not set: needs the Chromium runner (fake-indexeddb has no quota)")
	}
	ctx := context.Background()
	s, _ := openFresh(t)
	chunk := make([]byte, 512<<10)
	rand.Read(chunk) // incompressible: Chromium compresses large values
	var full error
	n := 0
	for ; n < 4*quota/len(chunk); n++ {
		var b store.Batch
		b.Put("fill", fmt.Sprintf("%04d/a", n), chunk)
		b.Put("fill", fmt.Sprintf("%04d/b", n), chunk)
		b.Put("fill", fmt.Sprintf("%04d/c", n), []byte("small"))
		if err := s.Apply(ctx, &b); err != nil {
			full = err
			break
		}
	}
	if !errors.Is(full, store.ErrQuota) {
		t.Fatalf("after %d batches of 1 MB under a %d MB quota: %v, want store.ErrQuota", n, quota>>20, full)
	}
	t.Logf("quota reached after %d batches: %v", n, full)
	// The refused batch left nothing, not even its small record.
	kvs, err := s.List(ctx, "fill", fmt.Sprintf("%04d/", n))
	if err != nil || len(kvs) != 0 {
		t.Fatalf("refused batch %d: %d records landed (%v)", n, len(kvs), err)
	}
	// Everything before it is intact.
	kvs, err = s.List(ctx, "fill", "")
	if err != nil || len(kvs) != 3*n {
		t.Fatalf("after the quota error: %d records, want %d (%v)", len(kvs), 3*n, err)
	}
	// Free room and write again.
	var del store.Batch
	for i := 0; i < n; i++ {
		del.Delete("fill", fmt.Sprintf("%04d/a", i))
		del.Delete("fill", fmt.Sprintf("%04d/b", i))
	}
	if err := s.Apply(ctx, &del); err != nil {
		t.Fatalf("deleting to free room: %v", err)
	}
	var b store.Batch
	b.Put("fill", "after", chunk)
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatalf("write after freeing room: %v", err)
	}
}
