// Package agentconn connects chat.Client to *agent.Agent: chat declares
// the transaction it needs (chat.Tx, which *agent.Tx is), and this package
// only adapts the signatures of Update and of the event handler. Events
// are the agent's own typed events, handed over as they are.
//
// Layer: glue between core/chat and core/agent.
// Concurrency: stateless.
package agentconn

import (
	"context"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
)

// Agent is *agent.Agent as a chat.Agent.
type Agent struct{ *agent.Agent }

var _ chat.Agent = Agent{}

// Update runs fn in one agent transaction (see agent.Agent.Update).
func (a Agent) Update(ctx context.Context, fn func(chat.Tx) error) error {
	return a.Agent.Update(ctx, func(t *agent.Tx) error { return fn(t) })
}

// Handler is c's event handler as the agent's.
func Handler(c *chat.Client) agent.Handler {
	return func(t *agent.Tx, ev agent.Event) error { return c.HandleEvent(t, ev) }
}

// Open makes an agent (acfg) and a chat client over it (ccfg, whose Store
// and Agent it fills in from acfg), wires the handler and starts both.
// The caller closes both (the client, then the agent).
func Open(ctx context.Context, acfg agent.Config, ccfg chat.Config) (*chat.Client, *agent.Agent, error) {
	a, err := agent.New(acfg)
	if err != nil {
		return nil, nil, err
	}
	ccfg.Store, ccfg.Agent = acfg.Store, Agent{a}
	c, err := chat.New(ccfg)
	if err != nil {
		return nil, nil, err
	}
	a.SetHandler(Handler(c))
	if err := c.Start(ctx); err != nil {
		return nil, nil, err
	}
	if err := a.Start(ctx); err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, a, nil
}
