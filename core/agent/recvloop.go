package agent

import (
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
)

// recvBatch bounds the relay events handled in one transaction.
const recvBatch = 256

// recvLoop takes one relay's events in batches: what has arrived together
// (a frame's messages, a burst of receipts) is handled in one transaction
// with one commit, and then acknowledged.
func (a *Agent) recvLoop(r *relay) {
	defer a.wg.Done()
	for {
		evs, err := r.c.Events().PopBatch(a.ctx, recvBatch)
		if err != nil {
			return
		}
		a.handleRelayEvents(r, evs)
	}
}

// ack is a message to acknowledge once its transaction committed.
type ack struct {
	q     Queue
	msgID []byte
}

// handleRelayEvents applies evs in one transaction, retrying after a
// failure (a store error, or a handler asking to retry) with backoff; the
// relay messages are acknowledged only after the commit.
func (a *Agent) handleRelayEvents(r *relay, evs []relayclient.Event) {
	for len(evs) > 0 {
		n := a.handleSome(r, evs)
		if n == 0 {
			return // closed
		}
		evs = evs[n:]
	}
}

// handleSome applies the first events of evs in one transaction (as many
// as fit its budget, at least one) and returns how many (0: closed).
func (a *Agent) handleSome(r *relay, evs []relayclient.Event) int {
	var acks []ack
	var done int
	delay := a.cfg.RetryMin
	for {
		err := a.transact(a.ctx, func(t *Tx) error {
			acks, done = acks[:0], 0
			start := time.Now()
			for _, ev := range evs {
				if done > 0 && a.yield(start) {
					break
				}
				got, err := a.relayEvent(t, r, ev)
				acks = append(acks, got...)
				if err != nil {
					return err
				}
				done++
			}
			if len(t.ended) > 0 {
				return t.handle(a.endSubscriptions(t, r.server))
			}
			return nil
		})
		if err == nil {
			break
		}
		if a.ctx.Err() != nil {
			return 0
		}
		a.logf("agent: processing failed, retrying in %v: %v", delay, err)
		select {
		case <-a.ctx.Done():
			return 0
		case <-time.After(delay):
		}
		delay = min(delay*2, a.cfg.RetryMax)
	}
	for _, k := range acks {
		go func() {
			if err := r.c.Ack(a.ctx, k.q, k.msgID); err != nil {
				a.logf("agent: ack on %s: %v (the relay will re-deliver)", r.server, err)
			}
		}()
	}
	return done
}

// relayEvent applies one relay event in t.
func (a *Agent) relayEvent(t *Tx, r *relay, ev relayclient.Event) ([]ack, error) {
	switch e := ev.(type) {
	case relayclient.Message:
		evs, q := a.receive(t, e)
		var acks []ack
		if q != nil {
			acks = append(acks, ack{q: *q, msgID: e.MsgID})
		}
		for _, ae := range evs {
			if err := t.handle(ae); err != nil {
				return acks, err
			}
		}
		return acks, nil
	case relayclient.Up:
		t.after = append(t.after, func() {
			a.resetBackoff(r.server)
			for k, q := range a.queues { // the client resubscribed all it remembers
				if q.Q.Server == r.server && !a.moved[k] {
					a.subscribed[k] = true
				}
			}
		})
		return nil, t.handle(RelayUp{Server: r.server})
	case relayclient.Down:
		return nil, t.handle(RelayDown{Server: r.server})
	case relayclient.End:
		a.unsubscribed(t, e.RecipientID, "another connection subscribed it")
		t.ended = append(t.ended, e.RecipientID)
	case relayclient.QueueDeleted:
		a.unsubscribed(t, e.RecipientID, "deleted")
	}
	return nil, nil
}

func (a *Agent) unsubscribed(t *Tx, rid []byte, why string) {
	k := qkey(rid)
	t.after = append(t.after, func() { delete(a.subscribed, k) })
	a.logf("agent: queue %x no longer subscribed: %s", rid, why)
}
