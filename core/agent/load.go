package agent

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"slices"

	"github.com/sxweb/sxweb/core/store"
)

// load reads every agent record into memory (Start).
func (a *Agent) load(ctx context.Context) error {
	if err := loadJSON(ctx, a.st, bConn, func(k string, c *conn) { a.conns[k] = c }); err != nil {
		return err
	}
	rs, err := a.st.List(ctx, bRatchet, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range rs {
		if c := a.conns[kv.Key]; c != nil {
			c.Ratchet = kv.Value
		}
	}
	if err := loadJSON(ctx, a.st, bQueue, func(k string, q *queue) { a.queues[k] = q }); err != nil {
		return err
	}
	if err := loadJSON(ctx, a.st, bReq, func(k string, r *request) { a.reqs[k] = r }); err != nil {
		return err
	}
	if err := loadJSON(ctx, a.st, bSpare, func(_ string, q *Queue) { a.spare = append(a.spare, &spare{Q: *q, persisted: true}) }); err != nil {
		return err
	}
	if err := a.loadSent(ctx); err != nil {
		return err
	}
	err = loadJSON(ctx, a.st, bOutbox, func(_ string, it *outItem) {
		a.outbox[it.ConnID] = append(a.outbox[it.ConnID], it)
		a.nextSeq = max(a.nextSeq, it.Seq)
	})
	if err != nil {
		return err
	}
	err = loadJSON(ctx, a.st, bJob, func(_ string, j *job) {
		a.jobs[j.ID] = j
		a.nextSeq = max(a.nextSeq, j.Seq)
		for _, id := range j.Conns { // not yet sealed for these
			a.outbox[id] = append(a.outbox[id], j.item(id))
		}
	})
	if err != nil {
		return err
	}
	for _, list := range a.outbox { // job items join their connections' lists in order
		slices.SortStableFunc(list, cmpOut)
	}
	a.loadSyncs()
	return nil
}

// loadSent reads the sent records: JSON, or (written before tags) the
// API number as 8 bytes big-endian.
func (a *Agent) loadSent(ctx context.Context) error {
	kvs, err := a.st.List(ctx, bSent, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range kvs {
		id, w, ok := parseSentKey(kv.Key)
		if !ok {
			continue
		}
		var r sentRec
		if len(kv.Value) == 8 && kv.Value[0] != '{' {
			r.API = binary.BigEndian.Uint64(kv.Value)
		} else if err := json.Unmarshal(kv.Value, &r); err != nil {
			return errf(CodeStore, "%s/%s: %v", bSent, kv.Key, err)
		}
		a.sentMap(id)[w] = r
	}
	return nil
}

func cmpUint(x, y uint64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func loadJSON[T any](ctx context.Context, st store.Store, bucket string, f func(string, *T)) error {
	kvs, err := st.List(ctx, bucket, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range kvs {
		v := new(T)
		if err := json.Unmarshal(kv.Value, v); err != nil {
			return errf(CodeStore, "%s/%s: %v", bucket, kv.Key, err)
		}
		f(kv.Key, v)
	}
	return nil
}
