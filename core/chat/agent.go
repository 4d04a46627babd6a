package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/store"
)

// Agent is what the chat layer needs of the connection agent. The agent
// holds its own lock while it calls the handler, so the chat layer never
// calls a non-Tx method while holding its mutex (see Client.unlocked), and
// inside a handler it uses only the Tx forms.
//
// Agent is what the chat layer needs of the connection agent. *agent.Agent
// satisfies it; fakeagent implements it in memory for tests.
type Agent interface {
	CreateInvitation(ctx context.Context) (connID, link string, err error)
	CreateAddress(ctx context.Context) (connID, link string, err error)
	Join(ctx context.Context, link string, connInfo []byte) (connID string, err error)
	Allow(ctx context.Context, connID, confID string, connInfo []byte) error
	AcceptRequest(ctx context.Context, addressConnID, reqID string, connInfo []byte) (connID string, err error)
	Send(ctx context.Context, connID string, body []byte) (msgNum uint64, err error)
	// The Tx forms run inside an event handler and commit with its batch b.
	SendTx(b *store.Batch, connID string, body []byte) (msgNum uint64, err error)
	JoinTx(b *store.Batch, link string, connInfo []byte) (connID string, err error)
	AllowTx(b *store.Batch, connID, confID string, connInfo []byte) error
	AcceptRequestTx(b *store.Batch, addressConnID, reqID string, connInfo []byte) (connID string, err error)
	Delete(ctx context.Context, connID string) error
	// MaxMessage is the largest body (and connInfo) the agent accepts; a
	// larger one fails (LARGE_MSG). The chat layer sizes its bodies by it.
	MaxMessage() int
}

// AgentEventKind names the agent events the chat layer handles.
type AgentEventKind int

// Agent event kinds.
const (
	AgentConfirmation AgentEventKind = iota + 1 // the peer joined my invitation: allow it
	AgentRequest                                // a request to my address (group link)
	AgentConnected                              // the connection is up
	AgentMessage                                // a message arrived
	AgentSent                                   // my message left for the relay
	AgentDelivered                              // the peer confirmed my message
	AgentDeleted                                // the connection is gone
	AgentOther                                  // integrity, relay up/down: recorded only
	AgentFailed                                 // the handler failed on an event for good (Detail)
)

// AgentEvent is one agent event in the chat layer's terms (the adapter
// converts the agent's typed events).
type AgentEvent struct {
	Kind     AgentEventKind
	ConnID   string
	ConfID   string // Confirmation
	ReqID    string // Request
	ConnInfo []byte // Confirmation, Request, Connected (may be empty)
	MsgNum   uint64 // Message, Sent, Delivered
	Body     []byte // Message
	Detail   string // Other, Failed
}
