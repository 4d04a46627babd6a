package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/store"
)

// Agent is what the chat layer needs of the connection agent: one
// transaction per API call (Update), in which the chat layer's writes and
// the agent operations it asks for commit together. *agent.Agent is one
// (through chat/agentconn, which only adapts Update's signature);
// internal/fakeagent implements it in memory for tests.
//
// The agent calls HandleEvent with its own transaction for incoming
// events, under the same lock: there is one lock order and no call is
// ever made without it.
type Agent interface {
	Update(ctx context.Context, fn func(Tx) error) error
	// MaxMessage is the largest body (and connInfo) the agent accepts; a
	// larger one fails (LARGE_MSG). The chat layer sizes its bodies by it.
	MaxMessage() int
	Stats() agent.Stats
}

// Tx is one transaction of the agent (see agent.Tx, which implements it):
// the chat layer's store reads and writes, and the agent operations that
// commit with them.
type Tx interface {
	Context() context.Context
	Get(bucket, key string) ([]byte, error)
	List(bucket, prefix string) ([]store.KV, error)
	Put(bucket, key string, value []byte)
	Del(bucket, key string)
	OnCommit(f func())
	// Reserve makes n new connections possible in this transaction
	// (their queues are made ahead; the attempt may run again).
	Reserve(n int) error
	CreateInvitation() (connID, link string, err error)
	CreateAddress() (connID, link string, err error)
	Join(link string, info []byte) (connID string, err error)
	Allow(connID, confID string, info []byte) error
	AcceptRequest(addressConnID, reqID string, info []byte) (connID string, err error)
	Send(connID string, body []byte, o agent.SendOptions) (uint64, error)
	SendMany(connIDs []string, body []byte, o agent.SendOptions) (int, error)
	DeleteConnection(connID string, drain bool) error
}

var _ Tx = (*agent.Tx)(nil)
