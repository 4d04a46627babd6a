package agent

// DeleteConnection deletes a connection in this transaction: its receive
// queue is deleted on the relay (an outbox entry, retried until done),
// and a Deleted event follows, in this transaction or — with drain, when
// the connection has messages queued that it can still send — once they
// have left (or failed). Without drain (or when they can never leave: the
// connection was never made), what is queued is dropped. The connection
// takes nothing new meanwhile.
func (t *Tx) DeleteConnection(connID string, drain bool) error {
	c := t.conn(connID)
	if c == nil {
		return &Error{Code: CodeNotFound}
	}
	t.deleteQueue(c)
	if drain && c.canSeal() && t.hasMessages(c.ID) {
		c.Deleting = true
		return nil
	}
	t.finishDelete(c)
	return nil
}

// deleteQueue queues the DEL of c's receive queue and forgets it.
func (t *Tx) deleteQueue(c *conn) {
	q := t.queue(c.RcvQueue)
	if q == nil {
		return
	}
	del := q.Q
	t.addOut(&outItem{ConnID: "del:" + c.ID, Kind: outDelete, Server: del.Server, Del: &del})
	delete(t.queues, q.Key)
	t.Del(bQueue, q.Key)
	a, k := t.a, q.Key
	t.after = append(t.after, func() {
		delete(a.queues, k)
		delete(a.subscribed, k)
	})
	c.RcvQueue = ""
	for id, r := range t.a.reqs {
		if r.ConnID == c.ID {
			t.reqs[id] = nil
		}
	}
}

func (t *Tx) hasMessages(connID string) bool {
	for _, it := range t.pendingOut(connID) {
		if it.Kind == outMsg {
			return true
		}
	}
	return false
}

// finishDelete drops everything of c and raises Deleted.
func (t *Tx) finishDelete(c *conn) {
	for _, it := range t.pendingOut(c.ID) {
		if it.Job != "" && !it.Sealed {
			t.jobDone(it.Job, c.ID)
		}
		t.removeOut(it)
	}
	a, id := t.a, c.ID
	for w := range a.sent[id] {
		t.Del(bSent, sentKey(id, w))
	}
	t.Del(bConn, id)
	t.Del(bRatchet, id)
	t.gone[id] = true
	t.after = append(t.after, func() {
		delete(a.conns, id)
		delete(a.sent, id)
	})
	t.raise(Deleted{ConnID: id})
}

// finishDeleting completes a drained deletion once c has no message left.
func (t *Tx) finishDeleting(c *conn) []Event {
	if c.Deleting && !t.hasMessages(c.ID) {
		t.finishDelete(c)
	}
	return nil
}
