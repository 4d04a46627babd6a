//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// armQuota patches IDBObjectStore.prototype.put so that the nth put from
// now on fails the way a full disk does. mode "abort": the transaction
// aborts with error QuotaExceededError (what browsers do at commit);
// mode "throw": put throws a QuotaExceededError DOMException. It returns a
// function restoring the original put.
func armQuota(t *testing.T, n int, mode string) func() {
	t.Helper()
	src := `
const [n, mode] = arguments;
const proto = IDBObjectStore.prototype;
const orig = proto.put;
let calls = 0;
proto.put = function (...args) {
  if (++calls !== n) return orig.apply(this, args);
  const err = new DOMException("simulated: storage full", "QuotaExceededError");
  if (mode === "throw") throw err;
  const tx = this.transaction;
  Object.defineProperty(tx, "error", { get: () => err, configurable: true });
  tx.abort();
  return orig.apply(this, args); // throws TransactionInactiveError, as a real put would now
};
return () => { proto.put = orig; };`
	fn, err := safejs.MustGetGlobal("Function").New(src)
	if err != nil {
		t.Fatal(err)
	}
	restore, err := fn.Invoke(n, mode)
	if err != nil {
		t.Fatal(err)
	}
	return func() { restore.Invoke() }
}

func TestQuotaLeavesNothingHalfWritten(t *testing.T) {
	for _, mode := range []string{"abort", "throw"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openFresh(t)
			var before store.Batch
			before.Put("c.msg", "a", []byte("old"))
			before.Put("c.msg", "d", []byte("keep"))
			if err := s.Apply(ctx, &before); err != nil {
				t.Fatal(err)
			}

			var b store.Batch
			b.Put("c.msg", "a", []byte("new"))
			b.Put("a.conn", "b", []byte("new"))
			b.Delete("c.msg", "d")
			b.Put("c.msg", "c", []byte("new")) // the third put: storage is full
			b.Put("c.msg", "e", []byte("new"))
			restore := armQuota(t, 3, mode)
			err := s.Apply(ctx, &b)
			restore()

			if !errors.Is(err, store.ErrQuota) {
				t.Fatalf("Apply on a full store = %v, want store.ErrQuota", err)
			}
			var te *TxError
			if !errors.As(err, &te) || te.Name != "QuotaExceededError" {
				t.Fatalf("error %v is not a QuotaExceededError TxError", err)
			}
			assertValue(t, s, "c.msg", "a", "old")
			assertValue(t, s, "c.msg", "d", "keep")
			for _, k := range [][2]string{{"a.conn", "b"}, {"c.msg", "c"}, {"c.msg", "e"}} {
				if _, err := s.Get(ctx, k[0], k[1]); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("%s/%s after failed batch: %v, want not found", k[0], k[1], err)
				}
			}
			// The store keeps working once there is room again.
			if err := s.Apply(ctx, &b); err != nil {
				t.Fatalf("Apply after quota failure: %v", err)
			}
			assertValue(t, s, "c.msg", "e", "new")
		})
	}
}

func assertValue(t *testing.T, s *Store, bucket, key, want string) {
	t.Helper()
	v, err := s.Get(context.Background(), bucket, key)
	if err != nil || string(v) != want {
		t.Fatalf("%s/%s = %q, %v; want %q", bucket, key, v, err, want)
	}
}
