// Package agent is the connection layer: duplex end-to-end encrypted
// connections built from two one-way relay queues. It makes and parses
// links (invitations and contact addresses), runs the fast duplex
// handshake, encrypts with the double ratchet (core/crypto/ratchet) above a
// per-queue NaCl box envelope (core/agent/envelope), numbers and chains
// messages to detect duplicates, gaps and bad messages, sends batched
// delivery receipts, keeps a persisted outbox that retries until the relay
// accepts, and resubscribes every queue after a (re)start.
//
// Layer: above core/relayclient (the relay protocol client, used through
// the small RelayClient interface declared here), core/crypto and
// core/store; below core/chat. The wire formats are in
// docs/agent-protocol.md.
//
// Concurrency: all methods are safe for concurrent use. Events reach the
// Handler from one goroutine, in order. A Handler runs while the agent
// holds its state lock: inside it call only the ...Tx methods (SendTx,
// AllowTx, JoinTx, AcceptRequestTx) and Stats, never Send, Join, Allow,
// AcceptRequest or Reconnect (they would wait for the handler to return).
// Reconnect (the network is back) makes every disconnected relay client
// dial at once and the outbox retry at once; it does not wait for them.
//
// Atomicity: processing one received message (ratchet step, dedup record,
// state change, and the handler's writes to its *store.Batch) is committed
// in one store.Apply; the relay message is acknowledged only after that
// commit. In-memory state changes only after a successful commit, and the
// batch is applied with store.Commit, so the handler's commit hooks
// (store.Batch.OnCommit) run exactly once, only for the attempt that landed.
//
// A handler error means "transient": the event comes again after a
// backoff. A handler panic is a bug and is not retried (it would stall
// every later event): nothing of that attempt commits, the event is kept
// in the store (FailedEvents) in the same batch as the agent's state change
// and acknowledgement, and the handler gets HandlerFailed in its place.
package agent
