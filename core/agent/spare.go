package agent

import (
	"context"
	"errors"
	"sync"

	"github.com/sxweb/sxweb/core/relayclient"
)

// A transaction never waits for the network under the lock. A connection
// needs a new receive queue, made on the relay (NEW): those are made ahead,
// without the lock, and kept as spares; a transaction takes them. When it
// finds too few, its attempt is dropped, the missing queues are made (all
// at once, pipelined) and it runs again (see transact).
//
// Spares made are persisted by the next commit (bSpare), so they are
// subscribed again after a restart and used later; one made just before
// a crash is lost to the relay's queue expiry.

// maxSpareBurst bounds the NEW commands one makeSpares has in flight.
const maxSpareBurst = 256

// Reserve makes sure n new queues are at hand for this transaction (a
// handler about to make n connections asks once, instead of failing on
// each). It fails only to drop the attempt; the caller returns its error.
func (t *Tx) Reserve(n int) error {
	if have := len(t.a.spare) - len(t.used); have < n {
		t.need = max(t.need, n-have)
		return errNeedQueues
	}
	return nil
}

// takeSpare takes a spare queue, or notes the need and fails the attempt.
func (t *Tx) takeSpare() (*spare, error) {
	for _, s := range t.a.spare {
		if !t.used[s] {
			t.used[s] = true
			return s, nil
		}
	}
	t.need = max(t.need, 1)
	return nil, errNeedQueues
}

// makeSpares makes n queues on our relay (waiting up to ConnectWait for
// the connection) and adds them to the pool.
func (a *Agent) makeSpares(ctx context.Context, n int) error {
	if err := a.checkStarted(); err != nil {
		return err
	}
	r := a.relay(a.cfg.Relays[0])
	wctx, cancel := context.WithTimeout(ctx, a.cfg.ConnectWait)
	err := r.c.WaitConnected(wctx)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &Error{Code: CodeNotConnected, Err: err}
	}
	made := make([]Queue, 0, n)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxSpareBurst)
	for range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			q, err := r.c.CreateQueue(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			q.Server = r.server
			made = append(made, q)
		}()
	}
	wg.Wait()
	a.mu.Lock()
	for _, q := range made {
		a.spare = append(a.spare, &spare{Q: q})
		a.subscribed[qkey(q.RecipientID)] = true
	}
	a.updateStats()
	a.mu.Unlock()
	if len(made) == 0 && firstErr != nil {
		if errors.Is(firstErr, relayclient.ErrNotConnected) {
			return &Error{Code: CodeNotConnected, Err: firstErr}
		}
		return wrap(CodeRelay, firstErr)
	}
	return nil
}

// writeSpares persists the spares made since the last commit and deletes
// the records of those this transaction used.
func (a *Agent) writeSpares(t *Tx) {
	for _, s := range a.spare {
		k := qkey(s.Q.RecipientID)
		gone := t.used[s] || t.dropped[s]
		switch {
		case gone && s.persisted:
			t.Del(bSpare, k)
		case !gone && !s.persisted:
			t.Put(bSpare, k, mustJSON(s.Q))
		}
	}
}

// applySpares: after the commit, the used (and dropped) spares leave the
// pool and the rest are persisted.
func (a *Agent) applySpares(t *Tx) {
	kept := a.spare[:0]
	for _, s := range a.spare {
		if !t.used[s] && !t.dropped[s] {
			s.persisted = true
			kept = append(kept, s)
		}
	}
	clear(a.spare[len(kept):])
	a.spare = kept
}
