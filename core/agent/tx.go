package agent

import (
	"context"
	"fmt"

	"github.com/sxweb/sxweb/core/store"
)

// tx is one state transition: writes collect in b, changed records in
// conns/queues/reqs (copies), and in-memory effects in after. Nothing of
// it is visible until commit's Apply succeeds. Used with a.mu held.
type tx struct {
	b       *store.Batch
	conns   map[string]*conn
	ratchet map[string]bool // connIDs whose ratchet changed
	queues  map[string]*queue
	reqs    map[string]*request // nil value: deleted
	after   []func()
	kick    bool
}

func (a *Agent) newTx(b *store.Batch) *tx {
	if b == nil {
		b = &store.Batch{}
	}
	return &tx{b: b, conns: map[string]*conn{}, ratchet: map[string]bool{},
		queues: map[string]*queue{}, reqs: map[string]*request{}}
}

// conn returns the tx's copy of connection id (nil if unknown).
func (a *Agent) txConn(t *tx, id string) *conn {
	if c, ok := t.conns[id]; ok {
		return c
	}
	c := a.conns[id]
	if c == nil {
		return nil
	}
	c = c.clone()
	t.conns[id] = c
	return c
}

func (a *Agent) txQueue(t *tx, key string) *queue {
	if q, ok := t.queues[key]; ok {
		return q
	}
	q := a.queues[key]
	if q == nil {
		return nil
	}
	q = q.clone()
	t.queues[key] = q
	return q
}

func (a *Agent) txReq(t *tx, id string) *request {
	if r, ok := t.reqs[id]; ok {
		return r
	}
	return a.reqs[id]
}

func (t *tx) setRatchet(c *conn, state []byte) {
	c.Ratchet = state
	t.ratchet[c.ID] = true
}

func (a *Agent) addOut(t *tx, it *outItem) {
	a.nextSeq++
	it.Seq = a.nextSeq
	t.b.Put(bOutbox, it.key(), mustJSON(it))
	t.after = append(t.after, func() { a.outbox[it.ConnID] = append(a.outbox[it.ConnID], it) })
	t.kick = true
}

func (a *Agent) removeOut(t *tx, it *outItem) {
	t.b.Delete(bOutbox, it.key())
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

// commit writes t and, only if that succeeds, runs the batch's commit
// hooks and applies t in memory.
func (a *Agent) commit(ctx context.Context, t *tx) error {
	for id, c := range t.conns {
		t.b.Put(bConn, id, mustJSON(c))
		if t.ratchet[id] {
			t.b.Put(bRatchet, id, c.Ratchet)
		}
	}
	for k, q := range t.queues {
		t.b.Put(bQueue, k, mustJSON(q))
	}
	for id, r := range t.reqs {
		if r == nil {
			t.b.Delete(bReq, id)
		} else {
			t.b.Put(bReq, id, mustJSON(r))
		}
	}
	// Commit runs the handler's commit hooks (its events) only once the
	// batch has landed; they only queue, so running them under a.mu is fine.
	if err := store.Commit(ctx, a.st, t.b); err != nil {
		return wrap(CodeStore, err)
	}
	for id, c := range t.conns {
		a.conns[id] = c
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
	for _, f := range t.after {
		f()
	}
	a.updateStats()
	if t.kick {
		a.kickAll()
	}
	return nil
}

// deliver hands events to the handler with t's batch. It stops at the
// first event the handler panics on and returns its index (else -1) and
// the panic; t must then be dropped, not committed (see locked). An event
// in failed is not given to the handler: it is recorded as failed in t's
// batch and the handler gets HandlerFailed in its place.
func (a *Agent) deliver(ctx context.Context, t *tx, evs []Event, failed map[int]*failure) (int, string, error) {
	if a.handler == nil {
		return -1, "", nil
	}
	a.curTx.Store(t)
	defer a.curTx.Store(nil)
	for i, ev := range evs {
		if f := failed[i]; f != nil {
			rep := a.recordFailed(t, ev, f.reason)
			if f.quiet {
				continue
			}
			ev = rep
		}
		err, panicked := a.callHandler(ctx, ev, t.b)
		if panicked {
			return i, err.Error(), nil
		}
		if err != nil {
			return -1, "", err
		}
	}
	return -1, "", nil
}

func (a *Agent) callHandler(ctx context.Context, ev Event, b *store.Batch) (err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("panic: %v", r), true
		}
	}()
	return a.handler(ctx, ev, b), false
}

// inTx returns the tx of the running handler if b is its batch.
func (a *Agent) inTx(b *store.Batch) (*tx, error) {
	t := a.curTx.Load()
	if t == nil || t.b != b {
		return nil, &Error{Code: CodeNotInTx}
	}
	return t, nil
}
