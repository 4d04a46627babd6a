// Package relay is the relay server: queues of opaque messages between a
// recipient and a sender, as in SimpleX's SMP (docs/relay-protocol.md).
//
// The engine (Server, Session) turns a client frame into responses and
// pushes events (MSG, END, DELD) to subscribed sessions, independent of the
// transport. Server.ServeHTTP is the transport: WebSocket on a GET with
// Upgrade, a server hello on a plain GET and one batch per plain POST. It
// can be mounted under any path of another mux.
//
// Layer: relay/ uses relay/wire (codec), relay/rules (the command rules it
// shares with the Worker), relay/limit (limits it shares with the file
// relay) and relay/store (queue storage) and knows
// nothing of chat or of the agent.
//
// Concurrency: a Server is safe for concurrent use by many sessions. The
// transmissions of a session run on a shared worker pool, concurrently,
// except that those on the same entity id run in the order received (also
// across frames), so the store writes of many frames share one group
// commit. Delivery decisions for one queue are serialized by a lock
// stripe, so a queue has at most one unacknowledged MSG in flight.
// A session's output is one FIFO (per-queue order is the order queued);
// its writer (NextFrame) packs what is ready at about the same time into
// one frame: it lingers while the session has runnable work, never for a
// store commit, and writes a lone response at once (coalesce.go).
// Expired messages are skipped at delivery and deleted by a background
// pass (Server.Expire) in bounded batches, each its own group commit, so a
// pass never holds the writes of sessions back for longer than one batch.
//
// Limits (limits.go; docs/relay-protocol.md "Limits"): Listener caps open
// connections in all and per client address; HTTPServer and the handler
// put deadlines on every request and on the WebSocket handshake; a session
// and its client address have a NEW allowance (token buckets: RATE) and a
// cap on subscriptions held (LIMIT); a session whose client does not read
// its output is not read either; above a store watermark NEW and SEND get
// QUOTA; queues idle for weeks are deleted (queueexpiry.go); after a
// session holding many subscriptions closes, a collection lets the runtime
// return its memory (memory.go). Per-address counts live in memory only
// and addresses are never logged. The per-address table, the client
// address (proxy headers), the watermark and the byte-size flags are in
// relay/limit, shared with the file relay (relay/files).
//
// State: Open keeps everything in a data directory: relay.db (bbolt: queue
// records, sender-id index, message bodies as the sender encrypted them)
// and auth.key (the long-term X25519 key whose public half is in every
// hello; authenticator keys derive from it, so keep it with the store).
package relay
