package agent

// When a second client subscribes one of our queues (a copy of this store
// restored elsewhere: the account moved), the relay ends our subscription
// (END). The agent takes it as final until it is restarted: it does not
// subscribe that queue again, sends and seals nothing more for its
// connection (two copies sending with two ratchet states would make the
// peer re-synchronize back and forth), drops queues made ahead among them
// (the other copy may use them), and reports the lot in one
// SubscriptionsEnded per batch of relay events.

func (a *Agent) isMoved(queueKey string) bool { return queueKey != "" && a.moved[queueKey] }

// endSubscriptions applies the ENDs of t's batch and returns the event.
func (a *Agent) endSubscriptions(t *Tx, server string) SubscriptionsEnded {
	ev := SubscriptionsEnded{Server: server}
	keys := map[string]bool{}
	for _, rid := range t.ended {
		k := qkey(rid)
		if keys[k] {
			continue
		}
		keys[k] = true
		if q := a.queues[k]; q != nil {
			ev.ConnIDs = append(ev.ConnIDs, q.ConnID)
			continue
		}
		for _, s := range a.spare {
			if qkey(s.Q.RecipientID) == k && !t.used[s] {
				t.dropped[s] = true
				ev.Spares++
			}
		}
	}
	t.after = append(t.after, func() {
		for k := range keys {
			a.moved[k] = true
			delete(a.subscribed, k)
		}
	})
	a.logf("agent: %s: another client took %d queues (%d connections): not subscribing them again", server, len(keys), len(ev.ConnIDs))
	return ev
}
