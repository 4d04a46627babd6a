// Package agent is the connection layer: duplex end-to-end encrypted
// connections built from two one-way relay queues. It makes and parses
// links (invitations and contact addresses), runs the fast duplex
// handshake, encrypts with the double ratchet (core/crypto/ratchet) above a
// per-queue NaCl box envelope (core/agent/envelope), numbers and chains
// messages to detect duplicates, gaps and bad messages, sends batched
// delivery receipts, keeps a persisted outbox that retries until the relay
// accepts, and resubscribes every queue after a (re)start. A connection
// whose ratchet no longer agrees with the peer's (one side restored an
// older copy of its state) re-synchronizes by itself over its queues
// (sync.go, RatchetSync), at most once per cooldown; when another client
// takes this agent's queues over, it stops using them (moved.go,
// SubscriptionsEnded).
//
// Layer: above core/relayclient (the relay protocol client, used through
// the small RelayClient interface declared here), core/crypto and
// core/store; below core/chat. The wire formats are in
// docs/agent-protocol.md.
//
// Transactions: everything that changes state is a transaction (Tx): an
// application's call (Update) or the events that arrived together from a
// relay (a frame's messages, a burst of SEND answers), handed to the
// Handler. The application's store writes and the agent operations it asks
// for through the Tx (Send, SendMany, Join, Allow, AcceptRequest,
// CreateInvitation, CreateAddress, DeleteConnection) commit in one batch
// with the agent's own state, or not at all. Nothing waits for the network
// under the lock: new receive queues are made ahead (Tx.Reserve; an
// attempt that lacks them is dropped, the queues are made, and it runs
// again), sending, acknowledging and deleting queues happen after commit.
// A message to many connections (SendMany) writes one record; its copies
// are sealed SealBatch per commit.
//
// Concurrency: all methods are safe for concurrent use. One lock (the
// agent's) serialises every transaction: one lock order, no lock dropped
// half-way. A Handler runs under it: it uses only its Tx (and Stats), never
// Update or the one-operation methods (CreateInvitation, Send, ...), which
// would wait for the lock. Events of one connection reach the Handler in
// order. Reconnect (the network is back) makes every disconnected relay
// client dial at once and the outbox retry at once; it does not wait.
//
// Atomicity: processing received messages (ratchet step, dedup record,
// state change, and the handler's writes) is committed in one store.Apply;
// the relay messages are acknowledged only after that commit. In-memory
// state changes only after a successful commit, and the batch is applied
// with store.Commit, so commit hooks (Tx.OnCommit) run exactly once, only
// for the attempt that landed. A message is sealed and its ratchet step
// committed before it is sent; a retry sends identical bytes.
//
// A handler error means "transient": the events come again after a
// backoff. A handler panic is a bug and is not retried (it would stall
// every later event): nothing of that attempt commits, the event is kept
// in the store (FailedEvents) in the same batch as the agent's state change
// and acknowledgement, and the handler gets HandlerFailed in its place.
package agent
