package store

import (
	"context"
	"sort"
	"strings"
)

// Overlay is a Batch being built over a Store, readable as it will be: Get
// and List see the batch's own writes. A later write of a key replaces the
// earlier one in the batch (one op per key), so a transaction that updates
// a record many times writes it once. Not safe for concurrent use; a
// transaction owns it.
type Overlay struct {
	st  Store
	b   *Batch
	ops map[string]int               // bucket\x00key → index in b.Ops
	ov  map[string]map[string][]byte // bucket → key → value (nil: deleted)
}

// NewOverlay starts an empty batch over st.
func NewOverlay(st Store) *Overlay {
	return &Overlay{st: st, b: &Batch{}, ops: map[string]int{}, ov: map[string]map[string][]byte{}}
}

// Batch is the batch built so far (apply it with Commit).
func (o *Overlay) Batch() *Batch { return o.b }

// OnCommit registers f to run once the batch has committed (see Commit).
func (o *Overlay) OnCommit(f func()) { o.b.OnCommit(f) }

// Put writes value under bucket/key.
func (o *Overlay) Put(bucket, key string, value []byte) {
	if value == nil {
		value = []byte{}
	}
	o.write(bucket, key, value)
}

// Del deletes bucket/key.
func (o *Overlay) Del(bucket, key string) { o.write(bucket, key, nil) }

func (o *Overlay) write(bucket, key string, value []byte) {
	k := bucket + "\x00" + key
	op := Op{Bucket: bucket, Key: key, Value: value}
	if i, ok := o.ops[k]; ok {
		o.b.Ops[i] = op
	} else {
		o.ops[k] = len(o.b.Ops)
		o.b.Ops = append(o.b.Ops, op)
	}
	m := o.ov[bucket]
	if m == nil {
		m = map[string][]byte{}
		o.ov[bucket] = m
	}
	m[key] = value
}

// Get reads bucket/key as the batch would leave it.
func (o *Overlay) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if v, ok := o.ov[bucket][key]; ok {
		if v == nil {
			return nil, ErrNotFound
		}
		return v, nil
	}
	return o.st.Get(ctx, bucket, key)
}

// List returns the records of bucket under prefix, key-ordered, as the
// batch would leave them.
func (o *Overlay) List(ctx context.Context, bucket, prefix string) ([]KV, error) {
	kvs, err := o.st.List(ctx, bucket, prefix)
	ov := o.ov[bucket]
	if err != nil || len(ov) == 0 {
		return kvs, err
	}
	mine := map[string][]byte{}
	for k, v := range ov {
		if strings.HasPrefix(k, prefix) {
			mine[k] = v
		}
	}
	if len(mine) == 0 {
		return kvs, nil
	}
	out := make([]KV, 0, len(kvs)+len(mine))
	for _, kv := range kvs {
		if _, ok := mine[kv.Key]; !ok {
			out = append(out, kv)
		}
	}
	for k, v := range mine {
		if v != nil {
			out = append(out, KV{Key: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
