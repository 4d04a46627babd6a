//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// Scan implements store.Scanner: one readonly transaction per page, a
// getAll and a getAllKeys with the page's limit on the key range above
// [after.Bucket, after.Key] (array keys order as Scan must).
func (s *Store) Scan(ctx context.Context, after *store.Pos, limit int) ([]store.Record, error) {
	if limit <= 0 {
		return nil, store.ErrScanLimit
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rng := safejs.Null()
	if after != nil {
		var err error
		if rng, err = keyRange.Call("lowerBound", dbKey(after.Bucket, after.Key), true); err != nil {
			return nil, err
		}
	}
	_, kv, err := s.tx("readonly")
	if err != nil {
		return nil, err
	}
	vals, keys, err := getAllWithKeys(ctx, "scan", kv, rng, limit)
	if err != nil {
		return nil, err
	}
	return decodeScan(keys, vals)
}

// decodeScan is decodeList for records of any bucket: the [bucket, key]
// arrays are flattened and joined, so they cross as one string of 2n parts.
func decodeScan(keys, vals safejs.Value) ([]store.Record, error) {
	n, err := keys.Length()
	if err != nil {
		return nil, err
	}
	if m, err := vals.Length(); err != nil || m != n {
		return nil, fmt.Errorf("idbstore: scan: %d keys, %d values", n, m)
	}
	if n == 0 {
		return nil, nil
	}
	flat, err := keys.Call("flat")
	if err != nil {
		return nil, err
	}
	kparts, err := joined(flat, 2*n)
	if err != nil {
		return nil, fmt.Errorf("idbstore: scan keys: %w", err)
	}
	vparts, err := joined(vals, n)
	if err != nil {
		return nil, fmt.Errorf("idbstore: scan values: %w", err)
	}
	out := make([]store.Record, n)
	for i := range out {
		out[i] = store.Record{Bucket: string(kparts[2*i]), Key: string(kparts[2*i+1]), Value: vparts[i]}
	}
	return out, nil
}

// Reset implements store.Resetter: one readwrite transaction over every
// object store clears them all (records, file bytes, keys) and writes b.
func (s *Store) Reset(ctx context.Context, b *store.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var ops []store.Op
	if b != nil {
		ops = b.Ops
	}
	vals, err := opValues(ops)
	if err != nil {
		return err
	}
	db, err := s.handle()
	if err != nil {
		return err
	}
	names := []any{kvStore, filesStore, keysStore}
	tx, err := db.Call("transaction", names, "readwrite")
	if err != nil {
		return fmt.Errorf("idbstore: reset: %w", err)
	}
	w, err := watchTx(tx)
	if err != nil {
		_, _ = tx.Call("abort")
		return err
	}
	var cause error
	for _, name := range names {
		var os safejs.Value
		if os, cause = tx.Call("objectStore", name); cause == nil {
			_, cause = os.Call("clear")
		}
		if cause != nil {
			break
		}
	}
	if cause == nil {
		var kv safejs.Value
		if kv, cause = tx.Call("objectStore", kvStore); cause == nil {
			cause = writeOps(kv, ops, vals)
		}
	}
	if cause != nil {
		w.abort()
	}
	return w.wait(ctx, "reset", cause)
}

// Tail implements store.Tailer in one readonly transaction: a key cursor
// from the range's end walks back limit-1 keys (one advance), then getAll
// and getAllKeys read exactly the records from there.
func (s *Store) Tail(ctx context.Context, bucket, prefix, before string, limit int) ([]store.KV, error) {
	if limit <= 0 {
		return nil, store.ErrScanLimit
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, p := encodeKey(bucket), encodeKey(prefix)
	upper := prefixEnd(p)
	if bb := encodeKey(before); before != "" && bb < upper {
		upper = bb
	}
	if upper <= p {
		return nil, nil
	}
	rng, err := keyRange.Call("bound", []any{b, p}, []any{b, upper}, false, true)
	if err != nil {
		return nil, err
	}
	_, kv, err := s.tx("readonly")
	if err != nil {
		return nil, err
	}
	creq, err := kv.Call("openKeyCursor", rng, "prev")
	if err != nil {
		return nil, fmt.Errorf("idbstore: tail: %w", err)
	}
	res, err := awaitRequests(ctx, "tail", creq)
	if err != nil || res[0].IsNull() {
		return nil, err
	}
	lower, err := res[0].Get("key")
	if err == nil && limit > 1 {
		if _, err = res[0].Call("advance", limit-1); err == nil {
			if res, err = awaitRequests(ctx, "tail", creq); err == nil {
				if res[0].IsNull() { // fewer than limit: the whole range
					lower, err = safejs.ValueOf([]any{b, p})
				} else {
					lower, err = res[0].Get("key")
				}
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("idbstore: tail: %w", err)
	}
	vrng, err := keyRange.Call("bound", lower, []any{b, upper}, false, true)
	if err != nil {
		return nil, err
	}
	vals, keys, err := getAllWithKeys(ctx, "tail", kv, vrng)
	if err != nil {
		return nil, err
	}
	return decodeList(bucket, keys, vals)
}
