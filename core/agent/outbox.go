package agent

import (
	"context"
	"time"
)

// The outbox of each relay is worked by two goroutines: the dispatcher
// hands due entries to the relay client (the first one of each
// connection, so a connection's messages go in order; up to maxInflight at
// once, pipelined by the client into few frames), and the completer
// applies their results: every result that has arrived is applied in one
// transaction (one commit for a burst of SEND responses).

// maxInflight bounds the entries one relay has in flight at once (each of
// a different connection).
const maxInflight = 1024

// result is the relay's answer to one outbox entry.
type result struct {
	it  *outItem
	err error
}

// dispatchLoop sends the due entries of one relay.
func (a *Agent) dispatchLoop(r *relay) {
	defer a.wg.Done()
	sem := make(chan struct{}, maxInflight)
	for {
		items, wait := a.nextOut(r.server, maxInflight-len(sem))
		for _, it := range items {
			sem <- struct{}{}
			go func() {
				err := a.transmit(r, it)
				<-sem
				_ = r.results.Push(result{it: it, err: err}) // room for every entry in flight
			}()
		}
		if len(items) > 0 {
			continue
		}
		timer := time.NewTimer(wait)
		select {
		case <-a.ctx.Done():
			timer.Stop()
			return
		case <-r.kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

func (a *Agent) transmit(r *relay, it *outItem) error {
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	switch it.Kind {
	case outSecure:
		err := r.c.Secure(ctx, it.SenderID, it.AuthKey)
		if code, perm := permanent(err); perm && code == "AUTH" && it.attempts > 0 {
			return nil // secured by our earlier attempt whose answer was lost
		}
		return err
	case outDelete:
		err := r.c.Delete(ctx, *it.Del)
		if code, perm := permanent(err); perm && code == "AUTH" {
			return nil // gone already (an earlier attempt, or expired)
		}
		return err
	}
	return r.c.Send(ctx, it.SenderID, it.AuthKey, it.Body)
}

// nextOut picks up to max due entries for server: the first entry of each
// connection, if it is sealed (or needs no sealing) and due. a.mu taken.
func (a *Agent) nextOut(server string, max int) ([]*outItem, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now, wait := time.Now(), time.Hour
	var out []*outItem
	for id, list := range a.outbox {
		if len(out) >= max {
			break
		}
		it := list[0]
		if it.inflight || it.needsSeal() || a.target(id, it) != server {
			continue
		}
		if it.Kind == outMsg || it.Kind == outRcpt || it.Kind == outSync {
			if c := a.conns[id]; c == nil || c.Snd == nil {
				continue // deleted meanwhile: dropped by the deletion
			}
		}
		if a.heldByMove(id, it) {
			continue
		}
		if d := it.retryAt.Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		it.inflight = true
		out = append(out, it)
	}
	return out, wait
}

func (a *Agent) target(connID string, it *outItem) string {
	if it.Server != "" {
		return it.Server
	}
	if c := a.conns[connID]; c != nil && c.Snd != nil {
		return c.Snd.Server
	}
	return ""
}

// heldByMove: another client took the entry's connection (or the queue it
// deletes) over; nothing of it goes out until a restart.
func (a *Agent) heldByMove(connID string, it *outItem) bool {
	if it.Kind == outDelete && it.Del != nil {
		return a.isMoved(qkey(it.Del.RecipientID))
	}
	c := a.conns[connID]
	return c != nil && a.isMoved(c.RcvQueue)
}

// completeLoop applies the results of one relay's transmissions.
func (a *Agent) completeLoop(r *relay) {
	defer a.wg.Done()
	for {
		rs, err := r.results.PopBatch(a.ctx, 0)
		if err != nil {
			return
		}
		a.complete(rs)
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

// complete applies a batch of results: retries are scheduled, the rest
// (accepted, or refused for good) are applied in one transaction.
func (a *Agent) complete(rs []result) {
	var final []result
	a.mu.Lock()
	for _, r := range rs {
		if r.err == nil {
			final = append(final, r)
			continue
		}
		if _, perm := permanent(r.err); perm {
			final = append(final, r)
			continue
		}
		it := r.it
		it.inflight = false
		it.attempts++
		backoff := a.cfg.RetryMin << min(it.attempts, 16)
		it.retryAt = time.Now().Add(min(backoff, a.cfg.RetryMax))
		a.logf("agent: send to %s failed (attempt %d): %v", it.Server, it.attempts, r.err)
	}
	a.mu.Unlock()
	if len(final) == 0 {
		return
	}
	delay := a.cfg.RetryMin
	for {
		err := a.transact(a.ctx, func(t *Tx) error {
			for _, r := range final {
				var evs []Event
				if code, perm := permanent(r.err); perm {
					evs = t.completeFailed(r.it, code)
				} else {
					evs = t.completeSent(r.it)
				}
				for _, ev := range evs {
					if err := t.handle(ev); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err == nil || a.ctx.Err() != nil {
			return
		}
		a.logf("agent: applying send results failed, retrying in %v: %v", delay, err)
		select {
		case <-a.ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, a.cfg.RetryMax)
	}
}

// completeSent removes an accepted entry and reports it.
func (t *Tx) completeSent(it *outItem) []Event {
	if it.done || t.removed[it] {
		return nil
	}
	t.removeOut(t.inflightDone(it))
	if it.Kind == outDelete {
		return nil
	}
	c := t.conn(it.ConnID)
	if c == nil {
		return nil
	}
	var evs []Event
	switch it.Kind {
	case outMsg:
		evs = append(evs, Sent{ConnID: c.ID, MsgNum: it.API, Tag: it.Tag})
	case outInfo:
		if c.State == stAllowed {
			c.State = stConnected
			t.kick = true
			evs = append(evs, Connected{ConnID: c.ID, ConnInfo: c.PeerInfo})
		}
	}
	return append(evs, t.finishDeleting(c)...)
}

func (t *Tx) completeFailed(it *outItem, code string) []Event {
	if it.done || t.removed[it] {
		return nil
	}
	t.removeOut(t.inflightDone(it))
	if it.Kind == outDelete {
		t.a.logf("agent: deleting a queue on %s: %s", it.Server, code)
		return nil
	}
	if c := t.peek(it.ConnID); it.Kind == outMsg && it.Wire != 0 && c != nil && it.Epoch == c.epoch() {
		t.Del(bSent, sentKey(it.ConnID, it.Wire))
		a, id, w := t.a, it.ConnID, it.Wire
		t.after = append(t.after, func() { delete(a.sent[id], w) })
	}
	evs := []Event{SendFailed{ConnID: it.ConnID, MsgNum: it.API, Tag: it.Tag, Code: code}}
	if c := t.conn(it.ConnID); c != nil {
		evs = append(evs, t.finishDeleting(c)...)
	}
	return evs
}

// inflightDone clears the in-flight mark of a transmitted entry once the
// transaction applying its result commits (a dropped attempt keeps it, so
// it is not sent again meanwhile).
func (t *Tx) inflightDone(it *outItem) *outItem {
	t.after = append(t.after, func() { it.inflight = false })
	return it
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
// within ReceiptDelay: one commit seals a receipt message for every such
// connection.
func (a *Agent) receiptLoop() {
	defer a.wg.Done()
	tick := time.NewTicker(a.cfg.ReceiptDelay)
	defer tick.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-tick.C:
			if err := a.flushReceipts(); err != nil {
				a.logf("agent: queueing receipts: %v", err)
			}
			if err := a.runDeferredSyncs(); err != nil {
				a.logf("agent: starting held-back re-synchronizations: %v", err)
			}
		}
	}
}

func (a *Agent) flushReceipts() error {
	a.mu.Lock()
	due := false
	for id, c := range a.conns {
		if receiptsDue(a, id, c) {
			due = true
			break
		}
	}
	a.mu.Unlock()
	if !due {
		return nil
	}
	return a.transact(a.ctx, func(t *Tx) error {
		for id, c0 := range a.conns {
			if !receiptsDue(a, id, c0) || c0.Deleting {
				continue
			}
			c := t.conn(id)
			it := &outItem{ConnID: id, Kind: outRcpt}
			t.addOut(it)
			if err := t.seal(c, it); err != nil {
				a.logf("agent: sealing receipts for %s: %v", id, err)
				t.removeOut(it)
			}
		}
		return nil
	})
}

// receiptsDue: c has receipts to send alone (nothing in its outbox to
// carry them), and can seal them.
func receiptsDue(a *Agent, id string, c *conn) bool {
	return len(c.Rcpts) > 0 && c.State == stConnected && c.canSeal() && len(a.outbox[id]) == 0 && !a.isMoved(c.RcvQueue)
}
