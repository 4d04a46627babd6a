//go:build js && wasm

package cfworker

import (
	"context"
	"syscall/js"
)

// doKV is KV on a Durable Object's storage (state.storage). Values are
// Uint8Arrays. The writes of one Write are issued without awaiting in
// between, so the runtime commits them as one atomic batch.
type doKV struct{ storage js.Value }

// maxKeysPerCall is the storage API's limit of keys per put or delete.
const maxKeysPerCall = 128

func (k doKV) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := await(k.storage.Call("get", key))
	if err != nil || v.IsUndefined() || v.IsNull() {
		return nil, err
	}
	return bytesOf(v), nil
}

func (k doKV) List(ctx context.Context, prefix string, limit int) ([]Entry, error) {
	opts := js.Global().Get("Object").New()
	opts.Set("prefix", prefix)
	opts.Set("limit", limit)
	m, err := await(k.storage.Call("list", opts))
	if err != nil {
		return nil, err
	}
	arr := js.Global().Get("Array").Call("from", m)
	out := make([]Entry, arr.Length())
	for i := range out {
		e := arr.Index(i)
		out[i] = Entry{Key: e.Index(0).String(), Value: bytesOf(e.Index(1))}
	}
	return out, nil
}

func (k doKV) Write(ctx context.Context, put []Entry, del []string) error {
	var ps []js.Value
	for len(put) > 0 {
		n := min(len(put), maxKeysPerCall)
		obj := js.Global().Get("Object").New()
		for _, e := range put[:n] {
			obj.Set(e.Key, uint8Array(e.Value))
		}
		ps, put = append(ps, k.storage.Call("put", obj)), put[n:]
	}
	for len(del) > 0 {
		n := min(len(del), maxKeysPerCall)
		keys := make([]any, n)
		for i, d := range del[:n] {
			keys[i] = d
		}
		ps, del = append(ps, k.storage.Call("delete", keys)), del[n:]
	}
	for _, p := range ps {
		if _, err := await(p); err != nil {
			return err
		}
	}
	return nil
}

// SetAlarm sets the object's alarm (storage.setAlarm): QueueDO.alarm then
// runs Engine.Expire.
func (k doKV) SetAlarm(ctx context.Context, atMillis int64) error {
	_, err := await(k.storage.Call("setAlarm", atMillis))
	return err
}

// DeleteAll empties the object's storage (a chunk's object when the
// chunk goes).
func (k doKV) DeleteAll(ctx context.Context) error {
	_, err := await(k.storage.Call("deleteAll"))
	return err
}
