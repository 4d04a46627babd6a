package agent

import (
	"context"
	"sync"
	"time"
)

// work is one item for the event loop.
type work struct {
	kind   int
	server string
	ev     RelayEvent
	item   *outItem
	code   string
	connID string
}

const (
	wRelay   = iota + 1 // a relay event
	wSent               // the relay accepted an outbox item
	wFailed             // the relay refused an outbox item for good
	wDeleted            // a connection was deleted
)

// workQueue is an unbounded FIFO: producers never block.
type workQueue struct {
	mu     sync.Mutex
	items  []work
	signal chan struct{}
}

func (q *workQueue) push(w work) {
	q.mu.Lock()
	q.items = append(q.items, w)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *workQueue) pop() (work, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return work{}, false
	}
	w := q.items[0]
	q.items[0] = work{}
	q.items = q.items[1:]
	return w, true
}

// eventLoop processes work in order; a failed item (handler error, store
// error) is retried with backoff before anything after it.
func (a *Agent) eventLoop() {
	defer a.wg.Done()
	for {
		w, ok := a.work.pop()
		if !ok {
			select {
			case <-a.ctx.Done():
				return
			case <-a.work.signal:
				continue
			}
		}
		delay := a.cfg.RetryMin
		for {
			err := a.process(w)
			if err == nil {
				break
			}
			a.logf("agent: processing failed, retrying in %v: %v", delay, err)
			select {
			case <-a.ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, a.cfg.RetryMax)
		}
	}
}

func (a *Agent) process(w work) error {
	ctx := a.ctx
	switch w.kind {
	case wRelay:
		return a.processRelay(ctx, w.server, w.ev)
	case wSent:
		return a.locked(ctx, func(t *tx) ([]Event, error) { return a.completeSent(t, w.item), nil })
	case wFailed:
		return a.locked(ctx, func(t *tx) ([]Event, error) { return a.completeFailed(t, w.item, w.code), nil })
	case wDeleted:
		return a.locked(ctx, func(*tx) ([]Event, error) { return []Event{Deleted{ConnID: w.connID}}, nil })
	}
	return nil
}

// locked runs one transition that yields events: state change, handler,
// commit, all under a.mu. When the handler panics on an event, nothing of
// that attempt commits: the transition is computed again from the
// committed state, and that event is recorded as failed instead of being
// handed to the handler (which gets HandlerFailed in its place). Each
// panic retires one event (or its report), so this ends.
func (a *Agent) locked(ctx context.Context, f func(t *tx) ([]Event, error)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var failed map[int]*failure
	for {
		t := a.newTx(nil)
		evs, err := f(t)
		if err != nil {
			return err
		}
		if len(evs) == 0 && t.b.Len() == 0 && len(t.conns) == 0 && len(t.after) == 0 {
			return nil
		}
		i, reason, err := a.deliver(ctx, t, evs, failed)
		if err != nil {
			return err
		}
		if i < 0 {
			return a.commit(ctx, t)
		}
		if failed == nil {
			failed = map[int]*failure{}
		}
		if fl := failed[i]; fl != nil {
			fl.quiet = true
			a.logf("agent: handler panicked on the report of failed %T too: %s", evs[i], reason)
		} else {
			failed[i] = &failure{reason: reason}
		}
	}
}

func (a *Agent) processRelay(ctx context.Context, server string, ev RelayEvent) error {
	switch ev.Kind {
	case RelayMsg:
		var ackQ *Queue
		err := a.locked(ctx, func(t *tx) ([]Event, error) {
			evs, q := a.receive(t, ev)
			ackQ = q
			return evs, nil
		})
		if err != nil {
			return err
		}
		if ackQ != nil {
			a.ack(ctx, server, *ackQ, ev.MsgID)
		}
		return nil
	case RelayConnUp:
		a.mu.Lock()
		a.resetBackoff(server)
		for k, q := range a.queues { // the client resubscribed all it remembers
			if q.Q.Server == server {
				a.subscribed[k] = true
			}
		}
		a.updateStats()
		a.mu.Unlock()
		return a.locked(ctx, func(*tx) ([]Event, error) { return []Event{RelayUp{Server: server}}, nil })
	case RelayConnDown:
		return a.locked(ctx, func(*tx) ([]Event, error) { return []Event{RelayDown{Server: server}}, nil })
	case RelayEnd, RelayQueueDeleted:
		a.mu.Lock()
		delete(a.subscribed, qkey(ev.RecipientID))
		a.updateStats()
		a.mu.Unlock()
		a.logf("agent: queue %x no longer subscribed (%d)", ev.RecipientID, ev.Kind)
	}
	return nil
}

func (a *Agent) ack(ctx context.Context, server string, q Queue, msgID []byte) {
	r := a.relay(server)
	if err := r.c.Ack(ctx, q, msgID); err != nil {
		a.logf("agent: ack on %s: %v (the relay will re-deliver)", server, err)
	}
}
