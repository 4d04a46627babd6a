package agent

import "context"

// Delete deletes the connection: its receive queue on the relay, then all
// its state (outbox included). A Deleted event follows; no other events
// come for it.
func (a *Agent) Delete(ctx context.Context, connID string) error {
	if err := a.checkStarted(); err != nil {
		return err
	}
	a.mu.Lock()
	c := a.conns[connID]
	var q *queue
	if c != nil {
		q = a.queues[c.RcvQueue]
	}
	a.mu.Unlock()
	if c == nil {
		return &Error{Code: CodeNotFound}
	}
	if q != nil {
		err := a.relay(q.Q.Server).c.Delete(ctx, q.Q)
		if code, perm := permanent(err); err != nil && !(perm && code == "AUTH") {
			return wrap(CodeRelay, err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conns[connID] == nil {
		return &Error{Code: CodeNotFound}
	}
	t := a.newTx(nil)
	t.b.Delete(bConn, connID)
	t.b.Delete(bRatchet, connID)
	if q != nil {
		t.b.Delete(bQueue, q.Key)
	}
	for _, it := range a.outbox[connID] {
		a.removeOut(t, it)
	}
	for w := range a.sent[connID] {
		t.b.Delete(bSent, sentKey(connID, w))
	}
	for id, r := range a.reqs {
		if r.ConnID == connID {
			t.reqs[id] = nil
		}
	}
	if err := a.commit(ctx, t); err != nil {
		return err
	}
	delete(a.conns, connID)
	delete(a.sent, connID)
	if q != nil {
		delete(a.queues, q.Key)
		delete(a.subscribed, q.Key)
	}
	a.updateStats()
	a.work.push(work{kind: wDeleted, connID: connID})
	return nil
}
