package agent

// MaxMessage is the largest application body (and connInfo) Send accepts.
const MaxMessage = 13 * 1024

// SendOptions tune one message.
type SendOptions struct {
	// Tag comes back in the message's Sent, Delivered and SendFailed
	// events (the chat layer names its message with it).
	Tag string
	// NoReceipt: the peer sends no receipt for it, so no Delivered comes
	// (large groups: a receipt from every member costs each of them a
	// message and the sender one per member).
	NoReceipt bool
}

// Send queues body on the connection and returns its message number. The
// message is committed with the transaction and goes out, in order, once
// the connection is connected; Sent and Delivered events follow. When the
// connection can take it now, it is sealed (encrypted) in this same
// transaction.
func (t *Tx) Send(connID string, body []byte, o SendOptions) (uint64, error) {
	c, err := t.sendable(connID, body)
	if err != nil {
		return 0, err
	}
	c.NextAPI++
	it := &outItem{ConnID: c.ID, Kind: outMsg, API: c.NextAPI, Body: body, Tag: o.Tag, Quiet: o.NoReceipt}
	t.addOut(it)
	if err := t.sealQueued(c); err != nil {
		return 0, err
	}
	return c.NextAPI, nil
}

// sendable checks a body and returns the transaction's copy of a
// connection that can send.
func (t *Tx) sendable(connID string, body []byte) (*conn, error) {
	if len(body) > MaxMessage {
		return nil, &Error{Code: CodeLargeMsg}
	}
	c := t.conn(connID)
	switch {
	case c == nil:
		return nil, &Error{Code: CodeNotFound}
	case c.Role == roleAddress:
		return nil, errf(CodeBadState, "a contact address cannot send")
	case c.Deleting:
		return nil, errf(CodeBadState, "the connection is being deleted")
	}
	return c, nil
}

// SendMany queues one body for many connections: the body is stored once
// and the transaction writes one record, whatever the number of
// connections; each copy is sealed later in batches of Config.SealBatch
// per commit and goes out like a Send (numbered when sealed: Sent and
// Delivered carry the number and o.Tag). Unknown connections and those
// that cannot send are skipped; it returns how many were taken.
func (t *Tx) SendMany(connIDs []string, body []byte, o SendOptions) (int, error) {
	if len(body) > MaxMessage {
		return 0, &Error{Code: CodeLargeMsg}
	}
	a := t.a
	j := &job{ID: randomID(), Body: body, Tag: o.Tag, Quiet: o.NoReceipt}
	seen := map[string]bool{}
	for _, id := range connIDs {
		if c := t.peek(id); c != nil && c.Role != roleAddress && !c.Deleting && !seen[id] {
			seen[id] = true
			j.Conns = append(j.Conns, id)
		}
	}
	if len(j.Conns) == 0 {
		return 0, nil
	}
	a.nextSeq++
	j.Seq = a.nextSeq
	t.jobs[j.ID] = j
	for _, id := range j.Conns {
		it := j.item(id)
		t.added[id] = append(t.added[id], it)
		t.after = append(t.after, func() { a.outbox[it.ConnID] = append(a.outbox[it.ConnID], it) })
	}
	t.sealKick = true
	return len(j.Conns), nil
}

// item is the outbox entry of job j for one connection (unsealed).
func (j *job) item(connID string) *outItem {
	return &outItem{Seq: j.Seq, ConnID: connID, Kind: outMsg, Job: j.ID, Tag: j.Tag, Quiet: j.Quiet}
}

// jobFor returns the transaction's copy of job id (nil when gone).
func (t *Tx) jobFor(id string) *job {
	if j, ok := t.jobs[id]; ok {
		return j
	}
	j := t.a.jobs[id]
	if j == nil {
		return nil
	}
	n := *j
	n.Conns = append([]string(nil), j.Conns...)
	t.jobs[id] = &n
	return &n
}

// jobDone: job id no longer waits to be sealed for connID (sealed or
// dropped); the job is deleted once no connection waits.
func (t *Tx) jobDone(id, connID string) {
	j := t.jobFor(id)
	if j == nil {
		return
	}
	for i, c := range j.Conns {
		if c == connID {
			j.Conns = append(j.Conns[:i:i], j.Conns[i+1:]...)
			break
		}
	}
	if len(j.Conns) == 0 {
		t.jobs[id] = nil
	}
}

// jobBody is the body of a job's item (nil if the job is gone).
func (t *Tx) jobBody(id string) []byte {
	if j, ok := t.jobs[id]; ok {
		if j == nil {
			return nil
		}
		return j.Body
	}
	if j := t.a.jobs[id]; j != nil {
		return j.Body
	}
	return nil
}
