// Package fakeagent is an in-memory stand-in for core/agent, connecting
// several chat clients in one process: invitations, addresses, the
// confirmation/allow handshake, requests, ordered messages, Sent and
// Delivered events (with the sender's tags; none for a message sent
// without a receipt), and transactions (Update, and one per delivered
// event) whose writes and agent operations take effect only when they
// commit. It exists for fast unit tests of core/chat: no crypto, no relay.
//
// Layer: test support beside core/chat (it implements chat.Agent).
// Concurrency: safe for concurrent use. Like the real agent, one lock (per
// agent) serialises its transactions; each agent delivers its events from
// one goroutine, in order per connection.
package fakeagent

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
)

// ErrBadLink is returned by Join for an unknown or used link.
var ErrBadLink = &agent.Error{Code: agent.CodeBadLink, Err: errors.New("fakeagent: bad link")}

// ErrLarge is returned for a body or connection info above MaxMessage,
// as the real agent refuses it (LARGE_MSG).
var ErrLarge = &agent.Error{Code: agent.CodeLargeMsg, Err: errors.New("fakeagent: body above the agent's limit")}

// ErrNoConn is returned for an unknown connection.
var ErrNoConn = &agent.Error{Code: agent.CodeNotFound, Err: errors.New("fakeagent: no such connection")}

// Handler is the chat layer's event handler.
type Handler func(t chat.Tx, ev agent.Event) error

// Network connects agents.
type Network struct {
	mu    sync.Mutex
	seq   int
	links map[string]endpoint // one-time invitations and addresses
	reqs  map[string]endpoint // request id -> joiner
	// Messages counts messages carried (for benchmarks).
	Messages int
	// Tap, when set (before use), sees every message body carried.
	Tap func(from, to string, body []byte)
	// Reorder, when set (before use), delivers each agent's pending events
	// of different connections in random order, each connection's in
	// order: as the real relay's independent queues do. Off: one order.
	Reorder bool
	// Max, when set (before use), replaces agent.MaxMessage as the largest
	// body and connection info the agents accept.
	Max int
}

type endpoint struct {
	a    *Agent
	conn string
}

// NewNetwork returns an empty network.
func NewNetwork() *Network {
	return &Network{links: map[string]endpoint{}, reqs: map[string]endpoint{}}
}

type conn struct {
	id        string
	address   bool
	peer      *Agent
	peerConn  string
	connected bool
	deleted   bool
	nextMsg   uint64
	outbox    []outMsg          // while not connected
	tags      map[uint64]outMsg // sent, until delivered
}

type outMsg struct {
	num   uint64
	body  []byte
	tag   string
	quiet bool
}

// Agent is one user's fake agent.
type Agent struct {
	net     *Network
	name    string
	st      store.Store
	mu      sync.Mutex // guards conns, queue, handler, paused, closed
	cond    *sync.Cond
	conns   map[string]*conn
	queue   []agent.Event
	handler Handler
	paused  bool
	closed  bool
	done    chan struct{}
	// big is the transaction lock, as the real agent's: held by Update and
	// while the handler runs.
	big sync.Mutex
}

// NewAgent adds an agent; its transactions are applied to st.
func (n *Network) NewAgent(name string, st store.Store) *Agent {
	a := &Agent{net: n, name: name, st: st, conns: map[string]*conn{}, done: make(chan struct{})}
	a.cond = sync.NewCond(&a.mu)
	return a
}

// SetHandler sets the event handler and starts delivering events.
func (a *Agent) SetHandler(h Handler) {
	a.mu.Lock()
	a.handler = h
	a.mu.Unlock()
	go a.loop()
}

// Pause stops event delivery to this agent (the user is offline);
// Resume restarts it. Events queue meanwhile.
func (a *Agent) Pause() { a.mu.Lock(); a.paused = true; a.mu.Unlock() }

// Resume restarts event delivery.
func (a *Agent) Resume() { a.mu.Lock(); a.paused = false; a.mu.Unlock(); a.cond.Broadcast() }

// Close stops the agent's event loop.
func (a *Agent) Close() {
	a.mu.Lock()
	if !a.closed {
		a.closed = true
		close(a.done)
	}
	a.mu.Unlock()
	a.cond.Broadcast()
}

// Conns is the number of live connections (not counting addresses).
func (a *Agent) Conns() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, c := range a.conns {
		if !c.deleted && !c.address {
			n++
		}
	}
	return n
}

// Stats implements chat.Agent: PendingMessages counts what waits for a
// connection.
func (a *Agent) Stats() agent.Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	var s agent.Stats
	for _, c := range a.conns {
		if c.deleted {
			continue
		}
		s.Connections++
		s.PendingMessages += len(c.outbox)
	}
	s.PendingOutbox = s.PendingMessages
	return s
}

func (n *Network) id(prefix string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seq++
	return fmt.Sprintf("%s%d", prefix, n.seq)
}

func (a *Agent) push(ev agent.Event) {
	a.mu.Lock()
	a.queue = append(a.queue, ev)
	a.mu.Unlock()
	a.cond.Broadcast()
}

func (a *Agent) loop() {
	for {
		a.mu.Lock()
		for !a.closed && (a.paused || len(a.queue) == 0) {
			a.cond.Wait()
		}
		if a.closed {
			a.mu.Unlock()
			return
		}
		i := a.next()
		ev := a.queue[i]
		h := a.handler
		a.mu.Unlock()
		if !a.handle(h, ev) {
			select {
			case <-a.done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			continue // retry (the same event, or with Reorder another connection's)
		}
		a.mu.Lock()
		a.queue = append(a.queue[:i:i], a.queue[i+1:]...)
		a.mu.Unlock()
	}
}

// next picks the index of the event to deliver (a.mu held): the first,
// or with Reorder the first of a random connection.
func (a *Agent) next() int {
	if !a.net.Reorder {
		return 0
	}
	seen := map[string]bool{}
	var heads []int
	for i, ev := range a.queue {
		id := connOf(ev)
		if !seen[id] {
			seen[id] = true
			heads = append(heads, i)
		}
	}
	return heads[rand.IntN(len(heads))]
}

// handle runs the handler for ev in one transaction; false: retry.
func (a *Agent) handle(h Handler, ev agent.Event) bool {
	a.big.Lock()
	defer a.big.Unlock()
	t := a.newTx(context.Background())
	if err := h(t, ev); err != nil {
		return false
	}
	if err := t.commit(); err != nil {
		return false
	}
	if m, ok := ev.(agent.Message); ok {
		a.ackTo(m.ConnID, m.MsgNum)
	}
	return true
}

// Update implements chat.Agent.
func (a *Agent) Update(ctx context.Context, fn func(chat.Tx) error) error {
	a.big.Lock()
	defer a.big.Unlock()
	t := a.newTx(ctx)
	if err := fn(t); err != nil {
		return err
	}
	return t.commit()
}

// ackTo tells the sender of a message that it was delivered (unless it
// asked for no receipt).
func (a *Agent) ackTo(connID string, num uint64) {
	a.mu.Lock()
	c := a.conns[connID]
	a.mu.Unlock()
	if c == nil || c.peer == nil {
		return
	}
	p := c.peer
	p.mu.Lock()
	pc := p.conns[c.peerConn]
	var m outMsg
	var ok bool
	if pc != nil {
		m, ok = pc.tags[num]
		delete(pc.tags, num)
	}
	p.mu.Unlock()
	if ok && !m.quiet {
		p.push(agent.Delivered{ConnID: c.peerConn, MsgNum: num, Tag: m.tag})
	}
}

func connOf(ev agent.Event) string {
	switch e := ev.(type) {
	case agent.Confirmation:
		return e.ConnID
	case agent.Request:
		return e.ConnID
	case agent.Connected:
		return e.ConnID
	case agent.Message:
		return e.ConnID
	case agent.Sent:
		return e.ConnID
	case agent.Delivered:
		return e.ConnID
	}
	return ""
}

func parseLink(link string) bool { return strings.HasPrefix(link, "fake:") }

// MaxMessage implements chat.Agent: the real agent's limit (agent.MaxMessage)
// unless the network sets Max. Every call refuses a larger body or
// connection info with ErrLarge, as the real agent does.
func (a *Agent) MaxMessage() int {
	if a.net.Max > 0 {
		return a.net.Max
	}
	return agent.MaxMessage
}

func (a *Agent) tooLarge(b []byte) bool { return len(b) > a.MaxMessage() }
