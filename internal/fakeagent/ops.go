package fakeagent

import (
	"context"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
)

var _ chat.Agent = (*Agent)(nil)

func now(f func()) { f() }

// later runs f once the running handler's batch has committed (a.mu is
// not held by the handler goroutine; txAfter belongs to it).
func (a *Agent) later(f func()) { a.txAfter = append(a.txAfter, f) }

// CreateInvitation implements chat.Agent.
func (a *Agent) CreateInvitation(context.Context) (string, string, error) {
	a.big.Lock()
	defer a.big.Unlock()
	id := a.net.id(a.name + "-c")
	a.mu.Lock()
	a.conns[id] = &conn{id: id}
	a.mu.Unlock()
	link := "fake:inv/" + id
	a.net.mu.Lock()
	a.net.links[link] = endpoint{a, id}
	a.net.mu.Unlock()
	return id, link, nil
}

// CreateAddress implements chat.Agent.
func (a *Agent) CreateAddress(context.Context) (string, string, error) {
	a.big.Lock()
	defer a.big.Unlock()
	id := a.net.id(a.name + "-a")
	a.mu.Lock()
	a.conns[id] = &conn{id: id, address: true}
	a.mu.Unlock()
	link := "fake:addr/" + id
	a.net.mu.Lock()
	a.net.links[link] = endpoint{a, id}
	a.net.mu.Unlock()
	return id, link, nil
}

// Join implements chat.Agent.
func (a *Agent) Join(_ context.Context, link string, info []byte) (string, error) {
	a.big.Lock()
	defer a.big.Unlock()
	return a.join(link, info, now)
}

// JoinTx implements chat.Agent: the peer hears of it once the batch commits.
func (a *Agent) JoinTx(_ *store.Batch, link string, info []byte) (string, error) {
	return a.join(link, info, a.later)
}

func (a *Agent) join(link string, info []byte, fx func(func())) (string, error) {
	if a.tooLarge(info) {
		return "", ErrLarge
	}
	a.net.mu.Lock()
	ep, ok := a.net.links[link]
	if ok && !isAddress(link) {
		delete(a.net.links, link) // one-time
	}
	a.net.mu.Unlock()
	if !ok || !parseLink(link) {
		return "", ErrBadLink
	}
	id := a.net.id(a.name + "-c")
	a.mu.Lock()
	c := &conn{id: id}
	a.conns[id] = c
	a.mu.Unlock()
	if isAddress(link) {
		req := a.net.id("req")
		a.net.mu.Lock()
		a.net.reqs[req] = endpoint{a, id}
		a.net.mu.Unlock()
		fx(func() {
			ep.a.push(chat.AgentEvent{Kind: chat.AgentRequest, ConnID: ep.conn, ReqID: req, ConnInfo: info})
		})
		return id, nil
	}
	a.mu.Lock()
	c.peer, c.peerConn = ep.a, ep.conn
	a.mu.Unlock()
	ep.a.mu.Lock()
	if ic := ep.a.conns[ep.conn]; ic != nil {
		ic.peer, ic.peerConn = a, id
	}
	ep.a.mu.Unlock()
	fx(func() {
		ep.a.push(chat.AgentEvent{Kind: chat.AgentConfirmation, ConnID: ep.conn, ConfID: "conf-" + id, ConnInfo: info})
	})
	return id, nil
}

func isAddress(link string) bool { return len(link) > 10 && link[:10] == "fake:addr/" }

// Allow implements chat.Agent.
func (a *Agent) Allow(_ context.Context, connID, confID string, info []byte) error {
	a.big.Lock()
	defer a.big.Unlock()
	return a.allow(connID, info, now)
}

// AllowTx implements chat.Agent.
func (a *Agent) AllowTx(_ *store.Batch, connID, _ string, info []byte) error {
	return a.allow(connID, info, a.later)
}

func (a *Agent) allow(connID string, info []byte, fx func(func())) error {
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
	fx(func() { a.connect(connID, peer, peerConn, info) })
	return nil
}

// AcceptRequest implements chat.Agent.
func (a *Agent) AcceptRequest(_ context.Context, _, reqID string, info []byte) (string, error) {
	a.big.Lock()
	defer a.big.Unlock()
	return a.acceptRequest(reqID, info, now)
}

// AcceptRequestTx implements chat.Agent.
func (a *Agent) AcceptRequestTx(_ *store.Batch, _, reqID string, info []byte) (string, error) {
	return a.acceptRequest(reqID, info, a.later)
}

func (a *Agent) acceptRequest(reqID string, info []byte, fx func(func())) (string, error) {
	if a.tooLarge(info) {
		return "", ErrLarge
	}
	a.net.mu.Lock()
	ep, ok := a.net.reqs[reqID]
	delete(a.net.reqs, reqID)
	a.net.mu.Unlock()
	if !ok {
		return "", ErrNoConn
	}
	id := a.net.id(a.name + "-c")
	a.mu.Lock()
	a.conns[id] = &conn{id: id, peer: ep.a, peerConn: ep.conn}
	a.mu.Unlock()
	ep.a.mu.Lock()
	if jc := ep.a.conns[ep.conn]; jc != nil {
		jc.peer, jc.peerConn = a, id
	}
	ep.a.mu.Unlock()
	fx(func() { a.connect(id, ep.a, ep.conn, info) })
	return id, nil
}

// connect marks both ends connected, tells both, and flushes their outboxes.
func (a *Agent) connect(connID string, peer *Agent, peerConn string, info []byte) {
	peer.push(chat.AgentEvent{Kind: chat.AgentConnected, ConnID: peerConn, ConnInfo: info})
	a.push(chat.AgentEvent{Kind: chat.AgentConnected, ConnID: connID})
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

// Send implements chat.Agent (allowed while pending: sent once connected).
func (a *Agent) Send(_ context.Context, connID string, body []byte) (uint64, error) {
	if a.tooLarge(body) {
		return 0, ErrLarge
	}
	a.big.Lock()
	defer a.big.Unlock()
	a.mu.Lock()
	c := a.conns[connID]
	if c == nil || c.deleted {
		a.mu.Unlock()
		return 0, ErrNoConn
	}
	c.nextMsg++
	m := outMsg{c.nextMsg, append([]byte(nil), body...)}
	a.mu.Unlock()
	a.transmit(connID, m)
	return m.num, nil
}

// SendTx implements chat.Agent: the message leaves when the handler's batch commits.
func (a *Agent) SendTx(_ *store.Batch, connID string, body []byte) (uint64, error) {
	if a.tooLarge(body) {
		return 0, ErrLarge
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.conns[connID]
	if c == nil || c.deleted {
		return 0, ErrNoConn
	}
	c.nextMsg++
	m := outMsg{c.nextMsg, append([]byte(nil), body...)}
	a.txAfter = append(a.txAfter, func() { a.transmit(connID, m) })
	return m.num, nil
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
	peer, peerConn := c.peer, c.peerConn
	a.mu.Unlock()
	a.net.mu.Lock()
	a.net.Messages++
	tap := a.net.Tap
	a.net.mu.Unlock()
	if tap != nil {
		tap(a.name, peer.name, m.body)
	}
	a.push(chat.AgentEvent{Kind: chat.AgentSent, ConnID: connID, MsgNum: m.num})
	peer.mu.Lock()
	pc := peer.conns[peerConn]
	alive := pc != nil && !pc.deleted
	peer.mu.Unlock()
	if alive {
		peer.push(chat.AgentEvent{Kind: chat.AgentMessage, ConnID: peerConn, MsgNum: m.num, Body: m.body})
	}
}

// Delete implements chat.Agent.
func (a *Agent) Delete(_ context.Context, connID string) error {
	a.big.Lock()
	defer a.big.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.conns[connID]; c != nil {
		c.deleted = true
	}
	return nil
}
