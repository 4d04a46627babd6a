// Package cfworker runs the relay (docs/relay-protocol.md) on Cloudflare
// Workers: the same wire protocol as package relay, with the state of each
// queue in its own Durable Object (docs/cloudflare.md).
//
// The package has two halves:
//   - Portable logic (no build tags, tested natively): Engine.QueueCmd runs
//     one transmission against one queue's key-value storage (KV) and says
//     what to answer the caller and what to push to other sessions;
//     Engine.HandleFrame splits a client frame, answers PING itself and
//     routes every other transmission to the queue it names (Caller).
//     Recipient and sender ids both encode the queue's route (Keys), so any
//     instance finds a queue's Durable Object from either id, and nobody
//     without the relay's key can link the two.
//   - Glue for the Workers runtime (js && wasm only, files js_*.go): KV on
//     Durable Object storage, Caller and pushes on Durable Object stubs via
//     github.com/syumai/workers, and the http.Handler every fresh Go
//     instance serves.
//
// The file relay (files_*.go, js_files.go; docs/cloudflare.md "Files")
// is relay/files' handler on FileStore: a Durable Object per chunk, found
// from any of its ids by the same route scheme under its own key
// (Keys.FilesKeys), running ChunkCmd one command at a time; the bytes in
// R2, staged in the object before they are written so that no blob
// outlives its chunk; expiry by the object's alarm.
//
// Layer: beside package relay; uses relay/rules (the command rules both
// relays apply), relay/wire (codec, authenticators, re-encryption),
// relay/store/record (relay/store's Queue and Message
// and their field encoding; relay/store itself builds bbolt) and
// relay/files (the file relay's handler), nothing of core/. The
// JavaScript half (Durable Object classes, WebSocket acceptance) lives
// in worker/.
//
// Concurrency: QueueCmd assumes its caller serializes the commands of one
// queue (the queue's Durable Object runs them one at a time); it keeps no
// state between calls. HandleFrame runs the transmissions of one frame
// concurrently, those on the same entity in order, and is safe for
// concurrent use.
package cfworker
