package agent

import (
	"context"
	"encoding/binary"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
	"github.com/sxweb/sxweb/core/store"
)

// MaxMessage is the largest application body (and connInfo) Send accepts.
const MaxMessage = 13 * 1024

// MaxMessage returns the largest body Send and SendTx accept (the constant
// MaxMessage): the chat layer sizes its bodies by it.
func (a *Agent) MaxMessage() int { return MaxMessage }

// Send queues body on the connection and returns its message number. The
// message is persisted before this returns and goes out, in order, once
// the connection is connected; Sent and Delivered events follow.
func (a *Agent) Send(ctx context.Context, connID string, body []byte) (uint64, error) {
	if err := a.checkStarted(); err != nil {
		return 0, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.newTx(nil)
	n, err := a.send(t, connID, body)
	if err != nil {
		return 0, err
	}
	return n, a.commit(ctx, t)
}

// SendTx is Send inside a Handler, committed with the handler's batch.
func (a *Agent) SendTx(b *store.Batch, connID string, body []byte) (uint64, error) {
	t, err := a.inTx(b)
	if err != nil {
		return 0, err
	}
	return a.send(t, connID, body)
}

func (a *Agent) send(t *tx, connID string, body []byte) (uint64, error) {
	if len(body) > MaxMessage {
		return 0, &Error{Code: CodeLargeMsg}
	}
	c := a.txConn(t, connID)
	if c == nil {
		return 0, &Error{Code: CodeNotFound}
	}
	if c.Role == roleAddress {
		return 0, errf(CodeBadState, "a contact address cannot send")
	}
	c.NextAPI++
	a.addOut(t, &outItem{ConnID: c.ID, Kind: outMsg, API: c.NextAPI, Body: body})
	return c.NextAPI, nil
}

// worker sends the outbox entries that go to one relay: per connection
// strictly in order, each retried with backoff until the relay accepts.
func (a *Agent) worker(r *relay) {
	defer a.wg.Done()
	for {
		items, wait := a.nextOut(r.server)
		if len(items) == 0 {
			timer := time.NewTimer(wait)
			select {
			case <-a.ctx.Done():
				timer.Stop()
				return
			case <-r.kick:
			case <-timer.C:
			}
			timer.Stop()
			continue
		}
		var wg sync.WaitGroup
		for _, it := range items { // different connections: concurrent
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.transmitted(it, a.transmit(r, it))
			}()
		}
		wg.Wait()
	}
}

// maxInflight bounds the items one relay worker has in flight at once
// (each of a different connection).
const maxInflight = 64

func (a *Agent) transmit(r *relay, it *outItem) error {
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	if it.Kind == outSecure {
		err := r.c.Secure(ctx, it.SenderID, it.AuthKey)
		if code, perm := permanent(err); perm && code == "AUTH" && it.attempts > 0 {
			return nil // secured by our earlier attempt whose answer was lost
		}
		return err
	}
	return r.c.Send(ctx, it.SenderID, it.AuthKey, it.Body)
}

func (a *Agent) transmitted(it *outItem, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	it.inflight = false
	if err == nil {
		it.sent = true
		a.work.push(work{kind: wSent, item: it})
		return
	}
	if code, perm := permanent(err); perm {
		it.sent = true
		a.work.push(work{kind: wFailed, item: it, code: code})
		return
	}
	it.attempts++
	backoff := a.cfg.RetryMin << min(it.attempts, 16)
	it.retryAt = time.Now().Add(min(backoff, a.cfg.RetryMax))
	a.logf("agent: send to %s failed (attempt %d): %v", it.Server, it.attempts, err)
}

// nextOut picks the entries due for server: the first unsent entry of
// each connection, if it is due. It seals message entries (ratchet step
// committed with the ciphertext) before handing them out.
func (a *Agent) nextOut(server string) ([]*outItem, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now, wait := time.Now(), time.Hour
	var out []*outItem
	for id, list := range a.outbox {
		if len(out) == maxInflight {
			break
		}
		it := firstUnsent(list)
		if it == nil || it.inflight {
			continue
		}
		c := a.conns[id]
		if c == nil || !a.ready(c, it) || a.target(c, it) != server {
			continue
		}
		if d := it.retryAt.Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		if !it.Sealed && it.Kind != outSecure {
			if err := a.seal(c, it); err != nil {
				a.logf("agent: sealing for %s: %v", id, err)
				it.retryAt = now.Add(a.cfg.RetryMax)
				continue
			}
			if it.done {
				continue // receipts already went with another message
			}
		}
		it.inflight = true
		out = append(out, it)
	}
	return out, wait
}

func firstUnsent(list []*outItem) *outItem {
	for _, it := range list {
		if !it.sent {
			return it
		}
	}
	return nil
}

// ready: handshake entries go at once; messages wait for the connection.
func (a *Agent) ready(c *conn, it *outItem) bool {
	switch it.Kind {
	case outSecure, outEnv:
		return true
	case outInfo:
		return c.Snd != nil
	}
	return it.Sealed || c.Snd != nil && (c.State == stConnected || c.State == stAllowed)
}

func (a *Agent) target(c *conn, it *outItem) string {
	if it.Server != "" {
		return it.Server
	}
	return c.Snd.Server
}

// seal encrypts a message entry and commits the ciphertext with the
// ratchet state, so a retry after a crash sends identical bytes.
func (a *Agent) seal(c0 *conn, it *outItem) error {
	t := a.newTx(nil)
	c := a.txConn(t, c0.ID)
	if it.Kind == outRcpt && len(c.Rcpts) == 0 {
		a.removeOut(t, it)
		return a.commit(a.ctx, t)
	}
	kind := map[string]byte{outInfo: envelope.KindInfo, outMsg: envelope.KindMessage, outRcpt: envelope.KindReceipt}[it.Kind]
	rc := c.Rcpts
	if len(rc) > maxRcptRanges {
		rc = rc[:maxRcptRanges]
	}
	m := &envelope.AgentMessage{MsgNum: c.SndWire + 1, PrevHash: c.SndHash, Kind: kind, Receipts: rc, Body: it.Body}
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
	env, err := a.sealEnvelope(c, ct)
	if err != nil {
		return err
	}
	t.setRatchet(c, st)
	c.SndWire, c.SndHash, c.Rcpts = m.MsgNum, envelope.Hash(pt), c.Rcpts[len(rc):]
	if it.Kind == outMsg {
		t.b.Put(bSent, sentKey(c.ID, m.MsgNum), binary.BigEndian.AppendUint64(nil, it.API))
		t.after = append(t.after, func() { a.sentMap(c.ID)[m.MsgNum] = it.API })
	}
	n := *it
	n.Body, n.Sealed, n.Wire = env, true, m.MsgNum
	n.Server, n.SenderID, n.AuthKey = c.Snd.Server, c.Snd.SenderID, c.Snd.AuthKey
	t.b.Put(bOutbox, n.key(), mustJSON(&n))
	t.after = append(t.after, func() {
		it.Body, it.Sealed, it.Wire, it.Server, it.SenderID, it.AuthKey = n.Body, true, n.Wire, n.Server, n.SenderID, n.AuthKey
	})
	return a.commit(a.ctx, t)
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
	if c.SndWire == 0 {
		key = c.Snd.E2EPub
	}
	return envelope.Seal(k, key, inner)
}

// completeSent removes an accepted entry and reports it (a.mu held).
func (a *Agent) completeSent(t *tx, it *outItem) []Event {
	if it.done {
		return nil
	}
	a.removeOut(t, it)
	c := a.txConn(t, it.ConnID)
	if c == nil {
		return nil
	}
	switch it.Kind {
	case outMsg:
		return []Event{Sent{ConnID: c.ID, MsgNum: it.API}}
	case outInfo:
		if c.State == stAllowed {
			c.State = stConnected
			t.kick = true
			return []Event{Connected{ConnID: c.ID, ConnInfo: c.PeerInfo}}
		}
	}
	return nil
}

func (a *Agent) completeFailed(t *tx, it *outItem, code string) []Event {
	if it.done {
		return nil
	}
	a.removeOut(t, it)
	if it.Kind == outMsg && it.Wire != 0 {
		t.b.Delete(bSent, sentKey(it.ConnID, it.Wire))
		t.after = append(t.after, func() { delete(a.sent[it.ConnID], it.Wire) })
	}
	return []Event{SendFailed{ConnID: it.ConnID, MsgNum: it.API, Code: code}}
}

// resetBackoff makes every entry for server due now (relay came back).
func (a *Agent) resetBackoff(server string) {
	for _, list := range a.outbox {
		for _, it := range list {
			if it.Server == server || it.Server == "" {
				it.retryAt = time.Time{}
			}
		}
	}
	a.kickAll()
}

// receiptLoop sends receipts that found no outgoing message to ride on
// within ReceiptDelay, one receipt message per connection.
func (a *Agent) receiptLoop() {
	defer a.wg.Done()
	tick := time.NewTicker(a.cfg.ReceiptDelay)
	defer tick.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-tick.C:
			a.flushReceipts()
		}
	}
}

func (a *Agent) flushReceipts() {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.newTx(nil)
	for id, c := range a.conns {
		if len(c.Rcpts) > 0 && c.State == stConnected && len(a.outbox[id]) == 0 {
			a.addOut(t, &outItem{ConnID: id, Kind: outRcpt})
		}
	}
	if t.b.Len() > 0 {
		if err := a.commit(a.ctx, t); err != nil {
			a.logf("agent: queueing receipts: %v", err)
		}
	}
}
