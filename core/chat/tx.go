package chat

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/sxweb/sxweb/core/store"
)

// Buckets of the chat layer.
const (
	bMeta    = "c.meta"    // "profile", "seq"
	bContact = "c.contact" // contactID
	bGroup   = "c.group"   // groupID
	bMember  = "c.member"  // groupID/memberID
	bConn    = "c.conn"    // connID -> connRef
	bMsg     = "c.msg"     // chat/seq
	bMsgID   = "c.msgid"   // messageID -> msg key
	bSeen    = "c.seen"    // groupID/author/msgId (dedup)
	bDlv     = "c.dlv"     // connID/msgNum -> delivery
	bIntro   = "c.intro"   // groupID/memberA/memberB (host: pair not yet connected)
	bMQ      = "c.mq"      // groupID/memberID/seq: messages for a member without a connection yet
	bTask    = "c.task"    // seq -> task
	bErr     = "c.err"     // seq -> recorded skipped event
)

// tx reads through a batch: writes recorded in b are visible to later
// reads of the same tx, so one event's handling sees its own changes.
type tx struct {
	ctx     context.Context
	st      store.Store
	b       *store.Batch
	ov      map[string][]byte // bucket\x00key -> value (nil: deleted)
	handler bool              // inside an agent event: sends go through SendTx
	evs     []Event           // emitted after the tx commits
	tasks   []string          // task keys written
	out     []outSend         // sends after commit (not in a handler)
	recheck func(*tx) error   // runs after those sends, in a new tx
}

func newTx(ctx context.Context, st store.Store, b *store.Batch) *tx {
	return &tx{ctx: ctx, st: st, b: b, ov: map[string][]byte{}}
}

func ovKey(bucket, key string) string { return bucket + "\x00" + key }

func (t *tx) get(bucket, key string) ([]byte, error) {
	if v, ok := t.ov[ovKey(bucket, key)]; ok {
		if v == nil {
			return nil, store.ErrNotFound
		}
		return v, nil
	}
	return t.st.Get(t.ctx, bucket, key)
}

// getJSON loads a record; found is false when absent.
func (t *tx) getJSON(bucket, key string, v any) (found bool, err error) {
	b, err := t.get(bucket, key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, v)
}

func (t *tx) put(bucket, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("chat: marshal record: " + err.Error()) // records are plain structs
	}
	t.b.Put(bucket, key, b)
	t.ov[ovKey(bucket, key)] = b
}

func (t *tx) putRaw(bucket, key string, v []byte) {
	t.b.Put(bucket, key, v)
	t.ov[ovKey(bucket, key)] = v
}

func (t *tx) del(bucket, key string) {
	t.b.Delete(bucket, key)
	t.ov[ovKey(bucket, key)] = nil
}

// list returns the records of bucket under prefix, with the tx's own writes.
func (t *tx) list(bucket, prefix string) ([]store.KV, error) {
	kvs, err := t.st.List(t.ctx, bucket, prefix)
	if err != nil || len(t.ov) == 0 {
		return kvs, err // nothing of ours to merge: the store's order stands
	}
	m := map[string][]byte{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	pre := ovKey(bucket, prefix)
	for k, v := range t.ov {
		if strings.HasPrefix(k, pre) {
			key := k[len(bucket)+1:]
			if v == nil {
				delete(m, key)
			} else {
				m[key] = v
			}
		}
	}
	out := make([]store.KV, 0, len(m))
	for k, v := range m {
		out = append(out, store.KV{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// listJSON decodes every record under prefix with fn.
func listJSON[T any](t *tx, bucket, prefix string) ([]T, error) {
	kvs, err := t.list(bucket, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		var v T
		if err := json.Unmarshal(kv.Value, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
