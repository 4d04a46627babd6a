// Package groupbench measures what groups cost: a group of N chat clients
// built on one real relay (in process, 127.0.0.1, bbolt in a temp dir),
// once in this design (group connections only, member contacts on demand)
// and once in the RFC's "direct connections at join" baseline (the opt-in
// DirectConnections setting with a threshold above N, so every
// introduction carries directConnReq), side by side.
//
// For each run it reports connections and queue subscriptions per member
// and for the host, the bytes, frames and time to resubscribe them after a
// reconnect (one member, and the whole group at a relay restart), the chat
// messages, relay commands and time until the mesh is complete, and the
// cost of one group message. The measurements come from what the layers
// already expose: chat.Client.Stats, agent.Stats, a counting Dialer around
// each relay connection (bytes, frames and commands up and down), and a
// counting wrapper around chat.Agent (chat messages by event).
//
// Layer: a test harness above core/chat, core/agent, core/relayclient and
// internal/relaytest; imported by nothing. Run and Markdown are called from
// the package's own benchmark (docs/group-benchmarks.md gives the
// command); the benchmark is not part of `go test ./...`.
//
// Concurrency: a Group owns its clients; its methods are called from one
// goroutine. Counters are atomic and may be read while clients run.
package groupbench
