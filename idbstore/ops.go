//go:build js && wasm

package idbstore

import (
	"bytes"
	"context"
	"fmt"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// Get returns the value of bucket/key or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	_, kv, err := s.tx("readonly")
	if err != nil {
		return nil, err
	}
	req, err := kv.Call("get", dbKey(bucket, key))
	if err != nil {
		return nil, fmt.Errorf("idbstore: get: %w", err)
	}
	res, err := awaitRequests(ctx, "get", req)
	if err != nil {
		return nil, err
	}
	if res[0].IsUndefined() {
		return nil, store.ErrNotFound
	}
	return bytesFromJS(res[0])
}

// List returns the records of bucket whose key starts with prefix, ordered
// by key, read in one readonly transaction.
func (s *Store) List(ctx context.Context, bucket, prefix string) ([]store.KV, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rng, err := prefixRange(bucket, prefix)
	if err != nil {
		return nil, err
	}
	_, kv, err := s.tx("readonly")
	if err != nil {
		return nil, err
	}
	vals, keys, err := getAllWithKeys(ctx, "list", kv, rng)
	if err != nil {
		return nil, err
	}
	return decodeList(bucket, keys, vals)
}

// getAllWithKeys reads the records of os in rng (a key range, or null for
// all; at most limit when one is given) with getAll and getAllKeys in the
// same transaction: their values and keys, in key order.
func getAllWithKeys(ctx context.Context, what string, os, rng safejs.Value, limit ...any) (vals, keys safejs.Value, err error) {
	args := append([]any{rng}, limit...)
	vreq, err := os.Call("getAll", args...)
	if err != nil {
		return vals, keys, fmt.Errorf("idbstore: %s: %w", what, err)
	}
	kreq, err := os.Call("getAllKeys", args...)
	if err != nil {
		return vals, keys, fmt.Errorf("idbstore: %s: %w", what, err)
	}
	res, err := awaitRequests(ctx, what, vreq, kreq)
	if err != nil {
		return vals, keys, err
	}
	return res[0], res[1], nil
}

func prefixRange(bucket, prefix string) (safejs.Value, error) {
	kr, err := safejs.Global().Get("IDBKeyRange")
	if err != nil {
		return kr, err
	}
	b, p := encodeKey(bucket), encodeKey(prefix)
	return kr.Call("bound", []any{b, p}, []any{b, prefixEnd(p)}, false, true)
}

// decodeList turns the results of getAllKeys and getAll on one bucket into
// records. Per-element calls into JS cost microseconds each, so both arrays
// cross over as one string each: the values (byte strings) joined with sep,
// the keys through Array.prototype.join, which writes each [bucket, key]
// array as "bucket,key" (the bucket is known, so its prefix is cut).
func decodeList(bucket string, keys, vals safejs.Value) ([]store.KV, error) {
	n, err := keys.Length()
	if err != nil {
		return nil, err
	}
	if m, err := vals.Length(); err != nil || m != n {
		return nil, fmt.Errorf("idbstore: list: %d keys, %d values", n, m)
	}
	kparts, err := joined(keys, n)
	if err != nil {
		return nil, fmt.Errorf("idbstore: list keys: %w", err)
	}
	vparts, err := joined(vals, n)
	if err != nil {
		return nil, fmt.Errorf("idbstore: list values: %w", err)
	}
	head := []byte(bucket + ",")
	out := make([]store.KV, n)
	for i := range out {
		k, ok := bytes.CutPrefix(kparts[i], head)
		if !ok {
			return nil, fmt.Errorf("idbstore: list: key %d outside bucket %q", i, bucket)
		}
		out[i] = store.KV{Key: string(k), Value: vparts[i]}
	}
	return out, nil
}

// joined fetches arr.join(sep) as bytes and splits it into n parts.
func joined(arr safejs.Value, n int) ([][]byte, error) {
	if n == 0 {
		return nil, nil
	}
	j, err := arr.Call("join", sep)
	if err != nil {
		return nil, err
	}
	str, err := j.String()
	if err != nil {
		return nil, err
	}
	return splitJoined([]byte(str), n)
}

// bytesToJS is the byte string of b (see keys.go).
func bytesToJS(b []byte) (safejs.Value, error) { return safejs.ValueOf(toUnits(b)) }

// bytesFromJS reads a stored value (a byte string).
func bytesFromJS(v safejs.Value) ([]byte, error) {
	if v.Type() != safejs.TypeString {
		return nil, fmt.Errorf("idbstore: stored value is a %s, not a byte string", v.Type())
	}
	str, err := v.String()
	if err != nil {
		return nil, err
	}
	return fromUnits([]byte(str))
}

// Apply writes the batch in one readwrite transaction: every put and delete
// is issued at once, nothing else is awaited, then the transaction's end
// decides. On any failure the transaction is aborted as a whole.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if b == nil || len(b.Ops) == 0 {
		_, err := s.handle()
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Convert values before the transaction exists: no Go work inside it
	// that could fail halfway.
	vals, err := opValues(b.Ops)
	if err != nil {
		return err
	}
	tx, kv, err := s.tx("readwrite")
	if err != nil {
		return err
	}
	w, err := watchTx(tx)
	if err != nil {
		_, _ = tx.Call("abort")
		return err
	}
	cause := writeOps(kv, b.Ops, vals)
	if cause != nil {
		w.abort()
	}
	return w.wait(ctx, "apply", cause)
}

// opValues converts the values of ops to byte strings (deletes: none).
func opValues(ops []store.Op) ([]safejs.Value, error) {
	vals := make([]safejs.Value, len(ops))
	for i, op := range ops {
		if op.Value == nil {
			continue
		}
		v, err := bytesToJS(op.Value)
		if err != nil {
			return nil, fmt.Errorf("idbstore: apply: %w", err)
		}
		vals[i] = v
	}
	return vals, nil
}

// writeOps issues every put and delete of ops on the object store kv, at
// once; the first that throws stops them (the caller aborts).
func writeOps(kv safejs.Value, ops []store.Op, vals []safejs.Value) error {
	for i, op := range ops {
		var err error
		if op.Value == nil {
			_, err = kv.Call("delete", dbKey(op.Bucket, op.Key))
		} else {
			_, err = kv.Call("put", vals[i], dbKey(op.Bucket, op.Key))
		}
		if err != nil {
			return err
		}
	}
	return nil
}
