//go:build js && wasm

package idbstore

import (
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
	vreq, err := kv.Call("getAll", rng)
	if err != nil {
		return nil, fmt.Errorf("idbstore: list: %w", err)
	}
	kreq, err := kv.Call("getAllKeys", rng)
	if err != nil {
		return nil, fmt.Errorf("idbstore: list: %w", err)
	}
	res, err := awaitRequests(ctx, "list", vreq, kreq)
	if err != nil {
		return nil, err
	}
	return decodeList(res[1], res[0])
}

func prefixRange(bucket, prefix string) (safejs.Value, error) {
	kr, err := safejs.Global().Get("IDBKeyRange")
	if err != nil {
		return kr, err
	}
	b, p := encodeKey(bucket), encodeKey(prefix)
	return kr.Call("bound", []any{b, p}, []any{b, prefixEnd(p)}, false, true)
}

func decodeList(keys, vals safejs.Value) ([]store.KV, error) {
	n, err := keys.Length()
	if err != nil {
		return nil, err
	}
	out := make([]store.KV, 0, n)
	for i := 0; i < n; i++ {
		k, err := keys.Index(i)
		if err == nil {
			k, err = k.Index(1)
		}
		var ks string
		if err == nil {
			ks, err = k.String()
		}
		if err == nil {
			ks, err = decodeKey(ks)
		}
		if err != nil {
			return nil, fmt.Errorf("idbstore: list key %d: %w", i, err)
		}
		v, err := vals.Index(i)
		if err != nil {
			return nil, err
		}
		b, err := bytesFromJS(v)
		if err != nil {
			return nil, err
		}
		out = append(out, store.KV{Key: ks, Value: b})
	}
	return out, nil
}

var uint8Array = safejs.MustGetGlobal("Uint8Array")

func bytesToJS(b []byte) (safejs.Value, error) {
	a, err := uint8Array.New(len(b))
	if err != nil {
		return a, err
	}
	_, err = safejs.CopyBytesToJS(a, b)
	return a, err
}

func bytesFromJS(v safejs.Value) ([]byte, error) {
	n, err := v.Length()
	if err != nil {
		return nil, fmt.Errorf("idbstore: stored value is not bytes: %w", err)
	}
	b := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(b, v); err != nil {
		return nil, fmt.Errorf("idbstore: stored value is not bytes: %w", err)
	}
	return b, nil
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
	vals := make([]safejs.Value, len(b.Ops))
	for i, op := range b.Ops {
		if op.Value == nil {
			continue
		}
		v, err := bytesToJS(op.Value)
		if err != nil {
			return fmt.Errorf("idbstore: apply: %w", err)
		}
		vals[i] = v
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
	var cause error
	for i, op := range b.Ops {
		if op.Value == nil {
			_, cause = kv.Call("delete", dbKey(op.Bucket, op.Key))
		} else {
			_, cause = kv.Call("put", vals[i], dbKey(op.Bucket, op.Key))
		}
		if cause != nil {
			w.abort()
			break
		}
	}
	return w.wait(ctx, "apply", cause)
}
