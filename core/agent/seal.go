package agent

import (
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
)

// Messages are sealed (ratchet step, per-queue box) before they go out,
// and the sealed bytes are committed with the ratchet state: a retry after
// a crash sends identical bytes, and a ratchet key is never used twice.
// A message that can be sealed when it is sent is sealed in that same
// transaction; the copies of a SendMany, and messages queued while their
// connection was not ready, are sealed by the sealer: Config.SealBatch
// per commit.

// sealQueued seals c's queued messages in order, when c can take them now
// (inside the transaction that queued them, or made c ready).
func (t *Tx) sealQueued(c *conn) error {
	if !c.canSeal() {
		return nil
	}
	for _, it := range t.pendingOut(c.ID) {
		if !t.needsSeal(it) {
			continue
		}
		if err := t.seal(c, it); err != nil {
			return err
		}
	}
	return nil
}

// seal encrypts one entry for c and records the sealed bytes, the ratchet
// state and (unless quiet) what the message is until its receipt comes.
func (t *Tx) seal(c *conn, it *outItem) error {
	body := it.Body
	if it.Job != "" {
		body = t.jobBody(it.Job)
	}
	kind := byte(envelope.KindMessage)
	switch {
	case it.Kind == outInfo:
		kind = envelope.KindInfo
	case it.Kind == outRcpt:
		kind = envelope.KindReceipt
	case it.Quiet:
		kind = envelope.KindQuiet
	}
	rc := c.Rcpts
	if len(rc) > maxRcptRanges {
		rc = rc[:maxRcptRanges]
	}
	m := &envelope.AgentMessage{MsgNum: c.SndWire + 1, PrevHash: c.SndHash, Kind: kind, Receipts: rc, Body: body}
	pt, err := m.Encode()
	if err != nil {
		return err
	}
	r := new(ratchet.Ratchet)
	if err := r.UnmarshalBinary(c.Ratchet); err != nil {
		return err
	}
	ct, err := r.Encrypt(pt, ratchetAD)
	if err != nil {
		return err
	}
	st, err := r.MarshalBinary()
	if err != nil {
		return err
	}
	env, err := t.a.sealEnvelope(c, ct)
	if err != nil {
		return err
	}
	t.setRatchet(c, st)
	c.SndWire, c.SndHash, c.Rcpts = m.MsgNum, envelope.Hash(pt), c.Rcpts[len(rc):]
	api := it.API
	if it.Kind == outMsg {
		c.SndApp++
		if api == 0 { // a SendMany copy is numbered now
			c.NextAPI++
			api = c.NextAPI
		}
	}
	if it.Kind == outMsg && !it.Quiet {
		rec := sentRec{API: api, Tag: it.Tag}
		t.Put(bSent, sentKey(c.ID, m.MsgNum), mustJSON(rec))
		a, id, w := t.a, c.ID, m.MsgNum
		t.sentNow[id] = append(t.sentNow[id], w)
		t.after = append(t.after, func() { a.sentMap(id)[w] = rec })
	}
	if it.Job != "" {
		t.jobDone(it.Job, c.ID)
	}
	n := *it
	n.API, n.Body, n.Sealed, n.Wire, n.Epoch = api, env, true, m.MsgNum, c.epoch()
	n.Server, n.SenderID, n.AuthKey = c.Snd.Server, c.Snd.SenderID, c.Snd.AuthKey
	t.putOut(&n)
	t.kick = true
	if t.isAdded(it) { // made in this transaction: no one else sees it yet
		*it = n
		return nil
	}
	// A committed entry changes only once this transaction commits: a
	// dropped attempt must leave it unsealed, as its ratchet step is
	// dropped too (else a key would be used twice).
	t.sealedNow[it] = true
	t.after = append(t.after, func() {
		n.inflight, n.done, n.attempts, n.retryAt = it.inflight, it.done, it.attempts, it.retryAt
		*it = n
	})
	return nil
}

// needsSeal: it still waits to be sealed, as this transaction sees it.
func (t *Tx) needsSeal(it *outItem) bool { return !it.done && !t.sealedNow[it] && it.needsSeal() }

func (t *Tx) isAdded(it *outItem) bool {
	for _, x := range t.added[it.ConnID] {
		if x == it {
			return true
		}
	}
	return false
}

// sealEnvelope boxes a ratchet message for the peer's queue; the first
// message on the queue carries our public key.
func (a *Agent) sealEnvelope(c *conn, ct []byte) ([]byte, error) {
	inner, err := (&envelope.Inner{Tag: envelope.InnerMessage, Body: ct}).Encode()
	if err != nil {
		return nil, err
	}
	k, err := a.sharedKey(c.Snd.E2EPriv, c.Snd.E2EPeer)
	if err != nil {
		return nil, err
	}
	var key []byte
	if c.firstOnQueue() {
		key = c.Snd.E2EPub
	}
	return envelope.Seal(k, key, inner)
}

// sealLoop seals what waits, SealBatch messages per commit, whenever a
// transaction queued some (or made a connection ready).
func (a *Agent) sealLoop() {
	defer a.wg.Done()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-a.sealKick:
		}
		// Let the transaction that queued the work answer its caller first:
		// in the browser the core shares one thread with the page, and a
		// Promise resolves only once no goroutine is busy.
		time.Sleep(time.Millisecond)
		for a.ctx.Err() == nil {
			_, more, err := a.sealSome()
			if err != nil {
				a.logf("agent: sealing: %v", err)
				select {
				case <-a.ctx.Done():
				case <-time.After(a.cfg.RetryMax):
				}
				break
			}
			if !more {
				break
			}
		}
	}
}

// sealSome seals up to SealBatch waiting messages in one transaction (fewer
// when its time is up or a caller waits: see yield) and returns how many,
// and whether it stopped with more to seal.
func (a *Agent) sealSome() (n int, more bool, err error) {
	err = a.transact(a.ctx, func(t *Tx) error {
		n, more = 0, false
		start := time.Now()
		full := func() bool {
			more = more || n >= a.cfg.SealBatch || n > 0 && a.yield(start)
			return more
		}
		for id, list := range a.outbox {
			if full() {
				break
			}
			if !waitsSeal(list) {
				continue
			}
			if c := a.conns[id]; c == nil || !c.canSeal() || a.isMoved(c.RcvQueue) {
				continue
			}
			c := t.conn(id)
			for _, it := range list {
				if full() {
					break
				}
				if !t.needsSeal(it) {
					continue
				}
				if err := t.seal(c, it); err != nil {
					a.logf("agent: sealing for %s: %v", id, err)
					break
				}
				n++
			}
		}
		return nil
	})
	return n, more, err
}

func waitsSeal(list []*outItem) bool {
	for _, it := range list {
		if it.needsSeal() {
			return true
		}
	}
	return false
}
