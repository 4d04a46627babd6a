// Package fakeagent is an in-memory stand-in for core/agent, connecting
// several chat clients in one process: invitations, addresses, the
// confirmation/allow handshake, requests, ordered messages, Sent and
// Delivered events, and SendTx inside handlers committing with the
// handler's batch. It exists for fast unit tests of core/chat.
//
// Layer: test support beside core/chat (it implements chat.Agent).
// Concurrency: safe for concurrent use; each Agent calls its handler from
// one goroutine, in order, never holding a lock while doing so.
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
var ErrBadLink = errors.New("fakeagent: bad link")

// ErrLarge is returned for a body or connection info above MaxMessage,
// as the real agent refuses it (LARGE_MSG).
var ErrLarge = errors.New("fakeagent: LARGE_MSG: body above the agent's limit")

// ErrNoConn is returned for an unknown connection.
var ErrNoConn = errors.New("fakeagent: no such connection")

// Handler is the chat layer's event handler.
type Handler func(ctx context.Context, ev chat.AgentEvent, b *store.Batch) error

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
	outbox    []outMsg // while not connected
}

type outMsg struct {
	num  uint64
	body []byte
}

// Agent is one user's fake agent.
type Agent struct {
	net     *Network
	name    string
	st      store.Store
	mu      sync.Mutex
	cond    *sync.Cond
	conns   map[string]*conn
	queue   []chat.AgentEvent
	handler Handler
	paused  bool
	closed  bool
	txAfter []func() // effects of the running handler's Tx calls
	done    chan struct{}
	// big is held while the handler runs and by every non-Tx method, as the
	// real agent holds its lock: a chat layer that calls the agent while
	// holding a lock its handler needs deadlocks here too.
	big sync.Mutex
}

// NewAgent adds an agent; its handler's batches are applied to st.
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

func (n *Network) id(prefix string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seq++
	return fmt.Sprintf("%s%d", prefix, n.seq)
}

func (a *Agent) push(ev chat.AgentEvent) {
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
		if !seen[ev.ConnID] {
			seen[ev.ConnID] = true
			heads = append(heads, i)
		}
	}
	return heads[rand.IntN(len(heads))]
}

// handle runs the handler for ev and commits its batch; false: retry.
func (a *Agent) handle(h Handler, ev chat.AgentEvent) bool {
	a.big.Lock()
	defer a.big.Unlock()
	b := &store.Batch{}
	a.txAfter = nil
	if err := h(context.Background(), ev, b); err != nil {
		return false
	}
	if err := store.Commit(context.Background(), a.st, b); err != nil {
		return false
	}
	after := a.txAfter
	a.txAfter = nil
	for _, f := range after {
		f()
	}
	if ev.Kind == chat.AgentMessage {
		a.ackTo(ev.ConnID, ev.MsgNum)
	}
	return true
}

// ackTo tells the sender of a message that it was delivered.
func (a *Agent) ackTo(connID string, num uint64) {
	a.mu.Lock()
	c := a.conns[connID]
	a.mu.Unlock()
	if c == nil || c.peer == nil {
		return
	}
	c.peer.push(chat.AgentEvent{Kind: chat.AgentDelivered, ConnID: c.peerConn, MsgNum: num})
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
