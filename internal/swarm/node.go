package main

import (
	"context"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store/memstore"
)

// node is one native member: its client, agent and what it received.
type node struct {
	name   string
	client *chat.Client
	agent  *agent.Agent
	done   chan struct{}

	mu        sync.Mutex
	direct    map[string]bool      // memberID → our group connection is up
	received  map[string]time.Time // text → first arrival
	errEvents int
}

func newNode(ctx context.Context, name, relayURL string) (*node, error) {
	c, ag, err := agentconn.Open(ctx, agent.Config{Store: memstore.New(), Relays: []string{relayURL}, Dial: wsdial.Dial}, chat.Config{})
	if err != nil {
		return nil, err
	}
	n := &node{name: name, client: c, agent: ag, done: make(chan struct{}),
		direct: map[string]bool{}, received: map[string]time.Time{}}
	go n.loop()
	if err := c.SetProfile(ctx, chat.Profile{DisplayName: name}); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func (n *node) close() {
	n.client.Close()
	n.agent.Close()
	<-n.done
}

func (n *node) loop() {
	defer close(n.done)
	for {
		evs, err := n.client.Events().PopBatch(context.Background(), 0)
		if err != nil {
			return
		}
		n.apply(evs)
	}
}

func (n *node) apply(evs []chat.Event) {
	now := time.Now()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ev := range evs {
		switch e := ev.(type) {
		case chat.MemberEvent:
			n.direct[e.Member.MemberID] = e.Member.Connection == "direct"
		case chat.MessageEvent:
			if _, seen := n.received[e.Message.Text]; !seen && e.Message.Sender != "me" {
				n.received[e.Message.Text] = now
			}
		case chat.ErrorEvent:
			n.errEvents++
		}
	}
}

// directCount is the number of members our group connection is up with.
func (n *node) directCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := 0
	for _, up := range n.direct {
		if up {
			k++
		}
	}
	return k
}

func (n *node) receivedAt(text string) (time.Time, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, ok := n.received[text]
	return t, ok
}
