package chat

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/core/store"
)

// errRetry asks the agent to deliver an event again later: it names a
// connection that an agent call running right now is about to record.
var errRetry = errors.New("chat: connection being recorded, retry")

// unlocked runs an agent call without c.mu (held by the caller): the agent
// holds its own lock while calling our handler, which takes c.mu. Events
// for a connection created meanwhile are retried (errRetry) or, for
// Sent/Delivered, kept in c.early until the caller records the message.
func (c *Client) unlocked(f func() error) error {
	c.inflight++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inflight--
	}()
	return f()
}

func (c *Client) createInvitation(t *tx) (connID, link string, err error) {
	err = c.unlocked(func() error {
		connID, link, err = c.ag.CreateInvitation(t.ctx)
		return err
	})
	return connID, link, wrapErr(CodeAgent, err, "create invitation")
}

func (c *Client) createAddress(t *tx) (connID, link string, err error) {
	err = c.unlocked(func() error {
		connID, link, err = c.ag.CreateAddress(t.ctx)
		return err
	})
	return connID, link, wrapErr(CodeAgent, err, "create address")
}

// join joins a link (JoinTx inside a handler).
func (c *Client) join(t *tx, link string, info []byte) (connID string, err error) {
	if t.handler {
		connID, err = c.ag.JoinTx(t.b, link, info)
	} else {
		err = c.unlocked(func() error {
			connID, err = c.ag.Join(t.ctx, link, info)
			return err
		})
	}
	if err != nil {
		return "", &Error{Code: CodeBadLink, Detail: "join", Err: err}
	}
	return connID, nil
}

// outSend is a message an API call or the worker sends after its tx
// has committed (see Client.commit).
type outSend struct {
	connID string
	body   []byte
	dlv    *dlvRec // delivery record to keep, if any
}

// post sends body on connID: inside a handler through SendTx (committing
// with the event), elsewhere after the tx commits, in order.
func (c *Client) post(t *tx, connID string, body []byte, dlv *dlvRec) error {
	if skip, err := c.checkSize(t, connID, body); skip {
		return err
	}
	if !t.handler {
		t.out = append(t.out, outSend{connID: connID, body: body, dlv: dlv})
		return nil
	}
	n, err := c.ag.SendTx(t.b, connID, body)
	if err != nil {
		return wrapErr(CodeAgent, err, "send")
	}
	if dlv != nil {
		return c.track(t, connID, n, *dlv)
	}
	return nil
}

// commit applies t, then sends what t posted (without c.mu), records the
// delivery records in a second tx and runs t.recheck there; repeated
// while a recheck posts more.
func (c *Client) commit(t *tx) error {
	for {
		c.afterCommit(t)
		if err := store.Commit(t.ctx, c.st, t.b); err != nil {
			return wrapErr(CodeStore, err, "apply")
		}
		if len(t.out) == 0 {
			if c.inflight == 0 && len(c.early) > 0 {
				c.early = map[string][]AgentEventKind{} // what is left belongs to no record
			}
			return nil
		}
		outs, recheck := t.out, t.recheck
		nums := make([]uint64, len(outs))
		errs := make([]error, len(outs))
		_ = c.unlocked(func() error {
			for i, o := range outs {
				nums[i], errs[i] = c.ag.Send(t.ctx, o.connID, o.body)
			}
			return nil
		})
		t = newTx(t.ctx, c.st, &store.Batch{})
		for i, o := range outs {
			if errs[i] == nil && o.dlv != nil {
				if err := c.track(t, o.connID, nums[i], *o.dlv); err != nil {
					return err
				}
			}
		}
		if recheck != nil {
			if err := recheck(t); err != nil {
				return err
			}
		}
	}
}

// track records the delivery record of a sent message and applies the
// Sent/Delivered events that arrived before it.
func (c *Client) track(t *tx, connID string, n uint64, d dlvRec) error {
	k := connID + "/" + seqKey(n)
	t.put(bDlv, k, d)
	kinds := c.early[k]
	delete(c.early, k)
	for _, kind := range kinds {
		if err := c.onDelivery(t, AgentEvent{Kind: kind, ConnID: connID, MsgNum: n}); err != nil {
			return err
		}
	}
	return nil
}

// reconnecter is an Agent that can reconnect to its relays at once
// (*agent.Agent); Reconnect is a no-op for agents without it.
type reconnecter interface {
	Reconnect(ctx context.Context) error
}

// Reconnect asks the agent to reconnect now to every relay it is not
// connected to (skipping the backoff wait) and to retry its outbox; call it
// when the device comes back online. It returns once that is asked, not
// when the relays are up. It takes no lock of the chat layer.
func (c *Client) Reconnect(ctx context.Context) error {
	r, ok := c.ag.(reconnecter)
	if !ok {
		return nil
	}
	return wrapErr(CodeAgent, r.Reconnect(ctx), "reconnect")
}
