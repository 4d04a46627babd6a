package agent

import (
	"context"
	"time"
)

// Reconnect is "the network is back": every relay client that is not
// connected dials at once instead of waiting out its backoff (when it
// implements Reconnecter, as relayclient's does), and the outbox retries
// at once. It returns as soon as that is asked, without waiting for the
// attempts: RelayUp reports each relay that comes up. Not inside a
// transaction.
func (a *Agent) Reconnect(ctx context.Context) error {
	if err := a.checkStarted(); err != nil {
		return err
	}
	a.rmu.Lock()
	rs := make([]*relay, 0, len(a.relays))
	for _, r := range a.relays {
		rs = append(rs, r)
	}
	a.rmu.Unlock()
	for _, r := range rs {
		if rc, ok := r.c.(Reconnecter); ok {
			rc.Reconnect()
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, list := range a.outbox {
		for _, it := range list {
			it.retryAt = time.Time{}
		}
	}
	a.kickAll()
	return ctx.Err()
}
