package agent

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Update runs fn as one transaction: everything fn writes and asks of the
// agent through t commits together, once fn returns nil, or not at all.
// fn runs under the agent's lock, so every API call and every incoming
// event is one atomic step in one order.
//
// fn may run more than once: when it needs more new queues than are made
// ahead (Tx.Reserve, or any call that makes a connection), the attempt is
// dropped, the queues are made on the relay without the lock, and fn runs
// again. So fn must decide from what it reads through t, not from effects
// of an earlier attempt.
func (a *Agent) Update(ctx context.Context, fn func(t *Tx) error) error {
	if err := a.checkStarted(); err != nil {
		return err
	}
	a.callers.Add(1) // background work yields to a waiting caller (yield)
	defer a.callers.Add(-1)
	return a.transact(ctx, fn)
}

// Background transactions (a batch of received events, a batch of copies
// to seal) hold the lock that an API call needs: a caller waits for the
// one running. They are cut short so it never waits long: one stops once
// it has run for bgBudget, or at once (after its first item) when a
// caller is waiting, and the rest goes in the next transaction. (In the
// browser a batch of 256 events can take 100 ms and more of CPU.)
const bgBudget = 20 * time.Millisecond

// yield reports whether a background transaction that began at start and
// has done some work should commit now and leave the rest for later.
func (a *Agent) yield(start time.Time) bool {
	return a.callers.Load() > 0 || time.Since(start) > bgBudget
}

// errNeedQueues aborts an attempt that needs queues the pool lacks.
var errNeedQueues = errors.New("agent: new queues needed")

// errPanicked aborts an attempt in which the handler panicked.
var errPanicked = errors.New("agent: handler panicked")

// transact runs step as one transaction under a.mu, with the handler
// getting the events step hands it (t.handle) and those its Tx calls
// raise. When the handler panics on an event, nothing of that attempt
// commits: step runs again on the committed state, and that event is
// recorded as failed instead (the handler gets HandlerFailed in its
// place); each panic retires one event, so this ends.
func (a *Agent) transact(ctx context.Context, step func(t *Tx) error) error {
	var failed map[int]*failure
	for {
		a.mu.Lock()
		t := a.newTx(ctx, failed)
		err := step(t)
		if err == nil {
			err = t.drainRaised()
		}
		switch {
		case t.panicAt >= 0:
			a.mu.Unlock()
			if failed == nil {
				failed = map[int]*failure{}
			}
			if fl := failed[t.panicAt]; fl != nil {
				fl.quiet = true
				a.logf("agent: handler panicked on the report of a failed event too: %s", t.panicOf)
			} else {
				failed[t.panicAt] = &failure{reason: t.panicOf}
			}
			continue
		case t.need > 0:
			n := t.need
			a.mu.Unlock()
			if err := a.makeSpares(ctx, n); err != nil {
				return err
			}
			continue
		case err != nil:
			a.mu.Unlock()
			return err
		}
		err = a.commit(t)
		a.mu.Unlock()
		return err
	}
}

// handle hands one event to the handler with t (inside transact). An
// event that panicked in an earlier attempt is recorded as failed and
// replaced by HandlerFailed.
func (t *Tx) handle(ev Event) error {
	i := t.nEvents
	t.nEvents++
	a := t.a
	if f := t.failed[i]; f != nil {
		rep := a.recordFailed(t, ev, f.reason)
		if f.quiet {
			return nil
		}
		ev = rep
	}
	if a.handler == nil {
		return nil
	}
	err, panicked := a.callHandler(t, ev)
	if panicked {
		t.panicAt, t.panicOf = i, err.Error()
		return errPanicked
	}
	return err
}

func (a *Agent) callHandler(t *Tx, ev Event) (err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("panic: %v", r), true
		}
	}()
	return a.handler(t, ev), false
}

// raise queues an event of a Tx method (Deleted) for the handler: it gets
// it after the current step, in the same transaction.
func (t *Tx) raise(ev Event) { t.raised = append(t.raised, ev) }

func (t *Tx) drainRaised() error {
	for len(t.raised) > 0 {
		ev := t.raised[0]
		t.raised = t.raised[1:]
		if err := t.handle(ev); err != nil {
			return err
		}
	}
	return nil
}
