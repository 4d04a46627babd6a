// Package relay is the relay server: queues of opaque messages between a
// recipient and a sender, as in SimpleX's SMP (docs/relay-protocol.md).
//
// The engine (Server, Session) turns a client frame into responses and
// pushes events (MSG, END, DELD) to subscribed sessions, independent of the
// transport. Server.ServeHTTP is the transport: WebSocket on a GET with
// Upgrade, a server hello on a plain GET and one batch per plain POST. It
// can be mounted under any path of another mux.
//
// Layer: relay/ uses relay/wire (codec) and relay/store (queue storage) and
// knows nothing of chat or of the agent.
//
// Concurrency: a Server is safe for concurrent use by many sessions. Each
// session handles its frames in order; the transmissions of one frame run
// concurrently, except that transmissions on the same entity id run in
// frame order. Delivery decisions for one queue are serialized by a lock
// stripe, so a queue has at most one unacknowledged MSG in flight.
package relay
