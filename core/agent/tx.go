package agent

import (
	"context"
	"errors"
	"slices"

	"github.com/sxweb/sxweb/core/store"
)

// Tx is one transaction: the application's store writes (Put, Del) and
// the agent operations it asks for (Send, Join, ...) land in one batch,
// with one commit, or not at all. A Tx exists only inside Agent.Update or
// a Handler call, under the agent's lock; it must not be kept.
//
// Reads (Get, List) see the transaction's own writes; a key written twice
// is written once (the last value).
type Tx struct {
	a   *Agent
	ctx context.Context
	o   *store.Overlay
	b   *store.Batch

	// copies of changed agent records; nothing is visible until commit
	conns     map[string]*conn
	ratchet   map[string]bool // connIDs whose ratchet changed
	queues    map[string]*queue
	reqs      map[string]*request   // nil value: deleted
	jobs      map[string]*job       // nil value: deleted
	gone      map[string]bool       // connections deleted here
	used      map[*spare]bool       // spare queues taken here
	dropped   map[*spare]bool       // spare queues another client took (END)
	added     map[string][]*outItem // outbox entries added here, by connection
	removed   map[*outItem]bool     // outbox entries removed here
	sealedNow map[*outItem]bool     // committed entries sealed here (applied after commit)
	sentNow   map[string][]uint64   // sent records written here, by connection
	ended     [][]byte              // queues whose subscription another client took (END)
	after     []func()              // in-memory effects once committed
	kick      bool                  // the relays' outboxes have new work
	sealKick  bool                  // the sealer has new work
	need      int                   // queues wanted beyond the spare ones (see Reserve)

	// handler bookkeeping (see transact)
	raised  []Event // events of Tx methods, for the handler after the step
	nEvents int     // events handed to the handler so far in this attempt
	failed  map[int]*failure
	panicAt int
	panicOf string
}

func (a *Agent) newTx(ctx context.Context, failed map[int]*failure) *Tx {
	o := store.NewOverlay(a.st)
	return &Tx{a: a, ctx: ctx, o: o, b: o.Batch(),
		conns: map[string]*conn{}, ratchet: map[string]bool{}, queues: map[string]*queue{},
		reqs: map[string]*request{}, jobs: map[string]*job{}, gone: map[string]bool{}, used: map[*spare]bool{}, dropped: map[*spare]bool{},
		added: map[string][]*outItem{}, removed: map[*outItem]bool{}, sealedNow: map[*outItem]bool{}, sentNow: map[string][]uint64{},
		failed: failed, panicAt: -1}
}

// Context is the transaction's context (the API call's, or the agent's).
func (t *Tx) Context() context.Context { return t.ctx }

// OnCommit registers f to run once the transaction has committed (events
// to the UI); f must not block.
func (t *Tx) OnCommit(f func()) { t.o.OnCommit(f) }

// Put writes value under bucket/key.
func (t *Tx) Put(bucket, key string, value []byte) { t.o.Put(bucket, key, value) }

// Del deletes bucket/key.
func (t *Tx) Del(bucket, key string) { t.o.Del(bucket, key) }

// Get reads bucket/key as this transaction would leave it.
func (t *Tx) Get(bucket, key string) ([]byte, error) { return t.o.Get(t.ctx, bucket, key) }

// List returns the records of bucket under prefix, key-ordered, as this
// transaction would leave them.
func (t *Tx) List(bucket, prefix string) ([]store.KV, error) { return t.o.List(t.ctx, bucket, prefix) }

// conn returns the transaction's copy of connection id (nil if unknown or
// deleted here).
func (t *Tx) conn(id string) *conn {
	if t.gone[id] {
		return nil
	}
	if c, ok := t.conns[id]; ok {
		return c
	}
	c := t.a.conns[id]
	if c == nil {
		return nil
	}
	c = c.clone()
	t.conns[id] = c
	return c
}

// peek returns connection id as the transaction sees it, read-only (no
// copy: nothing of it is written back).
func (t *Tx) peek(id string) *conn {
	if t.gone[id] {
		return nil
	}
	if c, ok := t.conns[id]; ok {
		return c
	}
	return t.a.conns[id]
}

func (t *Tx) queue(key string) *queue {
	if q, ok := t.queues[key]; ok {
		return q
	}
	q := t.a.queues[key]
	if q == nil {
		return nil
	}
	q = q.clone()
	t.queues[key] = q
	return q
}

func (t *Tx) req(id string) *request {
	if r, ok := t.reqs[id]; ok {
		return r
	}
	return t.a.reqs[id]
}

func (t *Tx) setRatchet(c *conn, state []byte) {
	c.Ratchet = state
	t.ratchet[c.ID] = true
}

// addOut queues an outbox entry (persisted with the transaction).
func (t *Tx) addOut(it *outItem) {
	a := t.a
	a.nextSeq++ // a number skipped by a dropped transaction is harmless
	it.Seq = a.nextSeq
	t.putOut(it)
	t.added[it.ConnID] = append(t.added[it.ConnID], it)
	t.after = append(t.after, func() { a.outbox[it.ConnID] = insertOut(a.outbox[it.ConnID], it) })
	t.kick = true
}

// insertOut adds it to a connection's list: at its end, or a sync entry
// (Pos set) before the first entry waiting to be sealed.
func insertOut(list []*outItem, it *outItem) []*outItem {
	if it.Pos != 0 {
		for i, x := range list {
			if x.needsSeal() {
				return slices.Insert(list, i, it)
			}
		}
	}
	return append(list, it)
}

func (t *Tx) putOut(it *outItem) { t.Put(bOutbox, it.key(), mustJSON(it)) }

func (t *Tx) removeOut(it *outItem) {
	a := t.a
	t.removed[it] = true
	if it.Job == "" || it.Sealed {
		t.Del(bOutbox, it.key())
	}
	t.after = append(t.after, func() {
		it.done = true
		list := a.outbox[it.ConnID]
		for i, x := range list {
			if x == it {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(a.outbox, it.ConnID)
		} else {
			a.outbox[it.ConnID] = list
		}
	})
}

// pendingOut lists the outbox entries of a connection as the transaction
// sees them: committed ones not removed here, then those added here.
func (t *Tx) pendingOut(connID string) []*outItem {
	var out []*outItem
	for _, it := range t.a.outbox[connID] {
		if !t.removed[it] && !it.done {
			out = append(out, it)
		}
	}
	return append(out, t.added[connID]...)
}

// commit writes t and, only if that succeeds, runs the batch's commit
// hooks and applies t in memory (a.mu held).
func (a *Agent) commit(t *Tx) error {
	for id, c := range t.conns {
		if t.gone[id] {
			continue
		}
		t.Put(bConn, id, mustJSON(c))
		if t.ratchet[id] {
			t.Put(bRatchet, id, c.Ratchet)
		}
	}
	for k, q := range t.queues {
		t.Put(bQueue, k, mustJSON(q))
	}
	for id, r := range t.reqs {
		if r == nil {
			t.Del(bReq, id)
		} else {
			t.Put(bReq, id, mustJSON(r))
		}
	}
	for id, j := range t.jobs {
		if j == nil {
			t.Del(bJob, id)
		} else {
			t.Put(bJob, id, mustJSON(j))
		}
	}
	a.writeSpares(t)
	// Commit runs the handler's commit hooks (its events) only once the
	// batch has landed; they only queue, so running them under a.mu is fine.
	if err := store.Commit(t.ctx, a.st, t.b); err != nil {
		if errors.Is(err, store.ErrQuota) {
			return &Error{Code: CodeStore, Err: err}
		}
		return wrap(CodeStore, err)
	}
	a.apply(t)
	return nil
}

// apply makes a committed transaction's changes visible in memory.
func (a *Agent) apply(t *Tx) {
	for id, c := range t.conns {
		if !t.gone[id] {
			a.conns[id] = c
		}
	}
	for k, q := range t.queues {
		a.queues[k] = q
	}
	for id, r := range t.reqs {
		if r == nil {
			delete(a.reqs, id)
		} else {
			a.reqs[id] = r
		}
	}
	for id, j := range t.jobs {
		if j == nil {
			delete(a.jobs, id)
		} else {
			a.jobs[id] = j
		}
	}
	a.applySpares(t)
	for _, f := range t.after {
		f()
	}
	a.updateStats()
	if t.kick {
		a.kickAll()
	}
	if t.sealKick {
		a.kickSeal()
	}
}
