// Package agentconn connects chat.Client to *agent.Agent: it converts the
// agent's typed events to chat.AgentEvent and adapts the handler. It is the
// only place that does: the browser build (wasm), the Cloudflare tests and
// the native tools all use it, so a new agent event is handled once.
//
// Layer: glue between core/chat and core/agent (chat declares the Agent
// interface it needs; *agent.Agent satisfies it directly).
// Concurrency: stateless.
package agentconn

import (
	"context"
	"fmt"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
)

var _ chat.Agent = (*agent.Agent)(nil)

// Event converts an agent event to the chat layer's form.
func Event(ev agent.Event) chat.AgentEvent {
	switch e := ev.(type) {
	case agent.Confirmation:
		return chat.AgentEvent{Kind: chat.AgentConfirmation, ConnID: e.ConnID, ConfID: e.ConfID, ConnInfo: e.ConnInfo}
	case agent.Request:
		return chat.AgentEvent{Kind: chat.AgentRequest, ConnID: e.ConnID, ReqID: e.ReqID, ConnInfo: e.ConnInfo}
	case agent.Connected:
		return chat.AgentEvent{Kind: chat.AgentConnected, ConnID: e.ConnID, ConnInfo: e.ConnInfo}
	case agent.Message:
		return chat.AgentEvent{Kind: chat.AgentMessage, ConnID: e.ConnID, MsgNum: e.MsgNum, Body: e.Body}
	case agent.Sent:
		return chat.AgentEvent{Kind: chat.AgentSent, ConnID: e.ConnID, MsgNum: e.MsgNum}
	case agent.Delivered:
		return chat.AgentEvent{Kind: chat.AgentDelivered, ConnID: e.ConnID, MsgNum: e.MsgNum}
	case agent.Deleted:
		return chat.AgentEvent{Kind: chat.AgentDeleted, ConnID: e.ConnID}
	case agent.SendFailed:
		return chat.AgentEvent{Kind: chat.AgentOther, ConnID: e.ConnID, MsgNum: e.MsgNum, Detail: "send failed: " + e.Code}
	case agent.Integrity:
		return chat.AgentEvent{Kind: chat.AgentOther, ConnID: e.ConnID, MsgNum: e.MsgNum, Detail: "integrity: " + e.Kind}
	case agent.HandlerFailed:
		return chat.AgentEvent{Kind: chat.AgentFailed, ConnID: e.ConnID,
			Detail: fmt.Sprintf("handling %T failed (kept by the agent as %s): %s", e.Event, e.ID, e.Reason)}
	default:
		return chat.AgentEvent{Kind: chat.AgentOther}
	}
}

// ChatHandler is the chat layer's event handler (chat.Client.HandleAgentEvent).
type ChatHandler = func(ctx context.Context, ev chat.AgentEvent, b *store.Batch) error

// Handler adapts a chat.Client to the agent's Handler.
func Handler(c *chat.Client) agent.Handler { return HandlerFunc(c.HandleAgentEvent) }

// HandlerFunc adapts a chat-level handler to the agent's Handler.
func HandlerFunc(h ChatHandler) agent.Handler {
	return func(ctx context.Context, ev agent.Event, b *store.Batch) error {
		return h(ctx, Event(ev), b)
	}
}

// Agent is *agent.Agent with the chat layer's handler signature, for hosts
// that hold the agent behind an interface of chat-level methods (the
// browser build, tests). Every other method is the agent's own.
type Agent struct{ *agent.Agent }

var _ chat.Agent = Agent{}

// SetHandler sets h as the agent's handler (through Event); before Start.
func (a Agent) SetHandler(h ChatHandler) { a.Agent.SetHandler(HandlerFunc(h)) }
