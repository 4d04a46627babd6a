package groupbench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store/memstore"
)

// Node is one chat user of a Group: its client, agent and counters.
type Node struct {
	Name    string
	Client  *chat.Client
	Agent   *agent.Agent
	Traffic *Counter  // every relay connection of this node
	Msgs    *Messages // chat messages handed to the agent

	mu    sync.Mutex
	watch *upWatch

	// filled by the event loop
	connected, contacts atomic.Int64 // members with a working group connection; connected contacts
	errors              atomic.Int64 // ErrorEvents (skipped incoming events)
	state               sync.Mutex
	members             map[string]bool // memberID → group connection up
	contactUp           map[string]bool
	received            map[string]time.Time // message text → first arrival
	delivered           map[string]time.Time // my message id → delivered to all
	done                chan struct{}
}

// newNode starts a client with a fresh in-memory store on relayURL.
func newNode(ctx context.Context, name, relayURL string) (*Node, error) {
	st := memstore.New()
	n := &Node{Name: name, Traffic: NewCounter(wsdial.Dial), Msgs: &Messages{},
		members: map[string]bool{}, contactUp: map[string]bool{}, received: map[string]time.Time{},
		delivered: map[string]time.Time{}, done: make(chan struct{})}
	var logs atomic.Int64
	logf := func(format string, args ...any) { // the first few diagnostics of each node
		if logs.Add(1) <= 5 {
			progressf(name+": "+format, args...)
		}
	}
	ag, err := agent.New(agent.Config{Store: st, Relays: []string{relayURL}, Logf: logf,
		NewRelay: func(server string) agent.RelayClient {
			w := newUpWatch(relayclient.New(server, n.Traffic.Dial,
				relayclient.Options{MinBackoff: 5 * time.Millisecond, MaxBackoff: 250 * time.Millisecond}))
			n.mu.Lock()
			n.watch = w
			n.mu.Unlock()
			return w
		}})
	if err != nil {
		return nil, err
	}
	c, err := chat.New(chat.Config{Store: st, Agent: countingAgent{Agent: agentconn.Agent{Agent: ag}, m: n.Msgs}})
	if err != nil {
		return nil, err
	}
	n.Client, n.Agent = c, ag
	ag.SetHandler(countingHandler(c.HandleEvent, n.Msgs))
	go n.loop()
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	if err := ag.Start(ctx); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.SetProfile(ctx, chat.Profile{DisplayName: name}); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// Close stops the client, then the agent.
func (n *Node) Close() {
	n.Client.Close()
	n.Agent.Close()
	<-n.done
}

// Ups is the number of times the relay connection came up with every
// queue re-subscribed.
func (n *Node) Ups() int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.watch == nil {
		return 0
	}
	return n.watch.ups.Load()
}

// Connected is the number of members with a working group connection.
func (n *Node) Connected() int { return int(n.connected.Load()) }

// Contacts is the number of connected contacts.
func (n *Node) Contacts() int { return int(n.contacts.Load()) }

// ReceivedAt returns when the message with this text first arrived.
func (n *Node) ReceivedAt(text string) (time.Time, bool) {
	n.state.Lock()
	defer n.state.Unlock()
	ts, ok := n.received[text]
	return ts, ok
}

// DeliveredAt returns when my message id was confirmed by every member
// (sent to every member, where no receipts are asked).
func (n *Node) DeliveredAt(id string) (time.Time, bool) {
	n.state.Lock()
	defer n.state.Unlock()
	ts, ok := n.delivered[id]
	return ts, ok
}

// loop drains the client's events and keeps the counters.
func (n *Node) loop() {
	defer close(n.done)
	for {
		ev, err := n.Client.Events().Pop(context.Background())
		if err != nil {
			return
		}
		now := time.Now()
		n.state.Lock()
		switch e := ev.(type) {
		case chat.MemberEvent:
			setFlag(n.members, e.Member.MemberID, e.Member.Connection == "direct", &n.connected)
		case chat.ContactEvent:
			setFlag(n.contactUp, e.Contact.ContactID, e.Contact.Status == "connected", &n.contacts)
		case chat.MessageEvent:
			if _, seen := n.received[e.Message.Text]; !seen && e.Message.Sender != "me" {
				n.received[e.Message.Text] = now
			}
		case chat.DeliveryEvent:
			// all receipts; where none are asked (groups above 20), the
			// relay took every copy
			done := e.Status == chat.StatusDelivered || !e.Receipts && e.Total > 0 && e.Sent >= e.Total
			if _, seen := n.delivered[e.MessageID]; !seen && done {
				n.delivered[e.MessageID] = now
			}
		case chat.ErrorEvent:
			n.errors.Add(1)
		}
		n.state.Unlock()
	}
}

// setFlag sets m[k] = v and keeps count equal to the number of true values.
func setFlag(m map[string]bool, k string, v bool, count *atomic.Int64) {
	if m[k] == v {
		return
	}
	m[k] = v
	if v {
		count.Add(1)
	} else {
		count.Add(-1)
	}
}
