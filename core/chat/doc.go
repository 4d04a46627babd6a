// Package chat is the chat layer of the core: profiles, contacts, groups,
// members, messages and member contacts made on demand, speaking the
// SimpleX Chat JSON protocol (package proto) over the duplex connections of
// the agent.
//
// Layer: above core/agent (reached through the small Agent interface
// declared here; *agent.Agent satisfies it through the adapter in
// chat/agentconn) and core/store; below wasm and cmd. All state lives in the
// store under buckets prefixed "c.", and what the chat layer writes for an
// agent event goes in that event's batch, so it commits atomically with the
// agent's own state change.
//
// Groups are built without direct connections: the host introduces each
// new member to every member over group connections only (N-1 per member,
// zero contacts), forwards group messages between members not yet
// connected, and a member contact is made on demand with x.grp.direct.inv.
// See docs/chat-protocol.md for the flows and checks.
//
// Concurrency: a Client is safe for concurrent use. API calls and agent
// events are serialised by one mutex; agent operations that reach the
// network from inside an event (joining, creating invitations, allowing,
// accepting) are persisted as tasks and run by one worker goroutine after
// the event commits. Events are delivered in order on one channel from one
// goroutine; a slow reader never blocks the agent. An event is emitted only
// once the batch holding its state has committed, and once: it is a commit
// hook of that batch (store.Batch.OnCommit), run by store.Commit — so the
// agent (or fakeagent) must apply handler batches with store.Commit.
package chat
