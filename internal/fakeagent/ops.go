package fakeagent

import (
	"context"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
)

var _ chat.Agent = (*Agent)(nil)

// tx is one transaction of the fake agent: store writes in an overlay,
// agent operations as effects that run once it commits.
type tx struct {
	*store.Overlay
	a       *Agent
	ctx     context.Context
	effects []func()
	made    map[string]uint64 // connections made here → messages sent on them here
}

var _ chat.Tx = (*tx)(nil)

func (a *Agent) newTx(ctx context.Context) *tx {
	return &tx{Overlay: store.NewOverlay(a.st), a: a, ctx: ctx, made: map[string]uint64{}}
}

func (t *tx) commit() error {
	if err := store.Commit(t.ctx, t.a.st, t.Batch()); err != nil {
		return err
	}
	for _, f := range t.effects {
		f()
	}
	return nil
}

func (t *tx) later(f func()) { t.effects = append(t.effects, f) }

func (t *tx) Context() context.Context { return t.ctx }

func (t *tx) Get(bucket, key string) ([]byte, error) { return t.Overlay.Get(t.ctx, bucket, key) }

func (t *tx) List(bucket, prefix string) ([]store.KV, error) {
	return t.Overlay.List(t.ctx, bucket, prefix)
}

// Reserve implements chat.Tx: the fake makes connections without queues.
func (t *tx) Reserve(int) error { return nil }

// CreateInvitation implements chat.Tx.
func (t *tx) CreateInvitation() (string, string, error) { return t.create("inv", false) }

// CreateAddress implements chat.Tx.
func (t *tx) CreateAddress() (string, string, error) { return t.create("addr", true) }

func (t *tx) create(kind string, address bool) (string, string, error) {
	a := t.a
	id := a.net.id(a.name + "-" + kind[:1])
	link := "fake:" + kind + "/" + id
	t.made[id] = 0
	t.later(func() {
		a.mu.Lock()
		a.conns[id] = &conn{id: id, address: address, tags: map[uint64]outMsg{}, nextMsg: t.made[id]}
		a.mu.Unlock()
		a.net.mu.Lock()
		a.net.links[link] = endpoint{a, id}
		a.net.mu.Unlock()
	})
	return id, link, nil
}

// Join implements chat.Tx: the peer hears of it once the transaction commits.
func (t *tx) Join(link string, info []byte) (string, error) {
	a := t.a
	if a.tooLarge(info) {
		return "", ErrLarge
	}
	a.net.mu.Lock()
	ep, ok := a.net.links[link]
	a.net.mu.Unlock()
	if !ok || !parseLink(link) {
		return "", ErrBadLink
	}
	id := a.net.id(a.name + "-c")
	t.made[id] = 0
	t.later(func() { a.join(id, link, ep, info, t.made[id]) })
	return id, nil
}

func (a *Agent) join(id, link string, ep endpoint, info []byte, sent uint64) {
	c := &conn{id: id, tags: map[uint64]outMsg{}, nextMsg: sent}
	a.mu.Lock()
	a.conns[id] = c
	a.mu.Unlock()
	if isAddress(link) {
		req := a.net.id("req")
		a.net.mu.Lock()
		a.net.reqs[req] = endpoint{a, id}
		a.net.mu.Unlock()
		ep.a.push(agent.Request{ConnID: ep.conn, ReqID: req, ConnInfo: info})
		return
	}
	a.net.mu.Lock()
	delete(a.net.links, link) // one-time
	a.net.mu.Unlock()
	a.mu.Lock()
	c.peer, c.peerConn = ep.a, ep.conn
	a.mu.Unlock()
	ep.a.mu.Lock()
	if ic := ep.a.conns[ep.conn]; ic != nil {
		ic.peer, ic.peerConn = a, id
	}
	ep.a.mu.Unlock()
	ep.a.push(agent.Confirmation{ConnID: ep.conn, ConfID: "conf-" + id, ConnInfo: info})
}

func isAddress(link string) bool { return len(link) > 10 && link[:10] == "fake:addr/" }

// Allow implements chat.Tx.
func (t *tx) Allow(connID, _ string, info []byte) error {
	a := t.a
	if a.tooLarge(info) {
		return ErrLarge
	}
	a.mu.Lock()
	c := a.conns[connID]
	if c == nil || c.deleted || c.peer == nil {
		a.mu.Unlock()
		return ErrNoConn
	}
	peer, peerConn := c.peer, c.peerConn
	a.mu.Unlock()
	t.later(func() { a.connect(connID, peer, peerConn, info) })
	return nil
}

// AcceptRequest implements chat.Tx.
func (t *tx) AcceptRequest(_, reqID string, info []byte) (string, error) {
	a := t.a
	if a.tooLarge(info) {
		return "", ErrLarge
	}
	a.net.mu.Lock()
	ep, ok := a.net.reqs[reqID]
	a.net.mu.Unlock()
	if !ok {
		return "", ErrNoConn
	}
	id := a.net.id(a.name + "-c")
	t.made[id] = 0
	t.later(func() {
		a.net.mu.Lock()
		delete(a.net.reqs, reqID)
		a.net.mu.Unlock()
		a.mu.Lock()
		a.conns[id] = &conn{id: id, peer: ep.a, peerConn: ep.conn, tags: map[uint64]outMsg{}, nextMsg: t.made[id]}
		a.mu.Unlock()
		ep.a.mu.Lock()
		if jc := ep.a.conns[ep.conn]; jc != nil {
			jc.peer, jc.peerConn = a, id
		}
		ep.a.mu.Unlock()
		a.connect(id, ep.a, ep.conn, info)
	})
	return id, nil
}

// connect marks both ends connected, tells both, and flushes their outboxes.
func (a *Agent) connect(connID string, peer *Agent, peerConn string, info []byte) {
	peer.push(agent.Connected{ConnID: peerConn, ConnInfo: info})
	a.push(agent.Connected{ConnID: connID})
	a.setConnected(connID)
	peer.setConnected(peerConn)
}

func (a *Agent) setConnected(connID string) {
	a.mu.Lock()
	c := a.conns[connID]
	if c == nil {
		a.mu.Unlock()
		return
	}
	c.connected = true
	out := c.outbox
	c.outbox = nil
	a.mu.Unlock()
	for _, m := range out {
		a.transmit(connID, m)
	}
}

// Send implements chat.Tx (allowed while pending: sent once connected).
func (t *tx) Send(connID string, body []byte, o agent.SendOptions) (uint64, error) {
	a := t.a
	if a.tooLarge(body) {
		return 0, ErrLarge
	}
	var num uint64
	if n, ok := t.made[connID]; ok { // made here: it exists once we commit
		num = n + 1
		t.made[connID] = num
	} else {
		a.mu.Lock()
		c := a.conns[connID]
		if c == nil || c.deleted {
			a.mu.Unlock()
			return 0, ErrNoConn
		}
		c.nextMsg++ // a number of a dropped transaction is skipped, as the real agent may
		num = c.nextMsg
		a.mu.Unlock()
	}
	m := outMsg{num: num, body: append([]byte(nil), body...), tag: o.Tag, quiet: o.NoReceipt}
	t.later(func() { a.transmit(connID, m) })
	return num, nil
}

// SendMany implements chat.Tx.
func (t *tx) SendMany(connIDs []string, body []byte, o agent.SendOptions) (int, error) {
	n := 0
	for _, id := range connIDs {
		if _, err := t.Send(id, body, o); err == nil {
			n++
		} else if err == ErrLarge {
			return n, err
		}
	}
	return n, nil
}

func (a *Agent) transmit(connID string, m outMsg) {
	a.mu.Lock()
	c := a.conns[connID]
	if c == nil || c.deleted {
		a.mu.Unlock()
		return
	}
	if !c.connected {
		c.outbox = append(c.outbox, m)
		a.mu.Unlock()
		return
	}
	c.tags[m.num] = m
	peer, peerConn := c.peer, c.peerConn
	a.mu.Unlock()
	a.net.mu.Lock()
	a.net.Messages++
	tap := a.net.Tap
	a.net.mu.Unlock()
	if tap != nil {
		tap(a.name, peer.name, m.body)
	}
	a.push(agent.Sent{ConnID: connID, MsgNum: m.num, Tag: m.tag})
	peer.mu.Lock()
	pc := peer.conns[peerConn]
	alive := pc != nil && !pc.deleted
	peer.mu.Unlock()
	if alive {
		peer.push(agent.Message{ConnID: peerConn, MsgNum: m.num, Body: m.body})
	}
}

// DeleteConnection implements chat.Tx: what is queued on a connected
// connection has left already (the fake sends at commit); the rest is
// dropped.
func (t *tx) DeleteConnection(connID string, _ bool) error {
	a := t.a
	t.later(func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		if c := a.conns[connID]; c != nil {
			c.deleted = true
			c.outbox = nil
		}
	})
	return nil
}
