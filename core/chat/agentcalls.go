package chat

import (
	"errors"
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

// send queues body on connID (SendTx inside a handler, so it commits with
// the event). Outside a handler, call track with the result.
func (c *Client) send(t *tx, connID string, body []byte) (n uint64, err error) {
	if t.handler {
		n, err = c.ag.SendTx(t.b, connID, body)
	} else {
		err = c.unlocked(func() error {
			n, err = c.ag.Send(t.ctx, connID, body)
			return err
		})
	}
	return n, wrapErr(CodeAgent, err, "send")
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
