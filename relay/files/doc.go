// Package files is the file relay (docs/file-protocol.md §1): chunks of
// encrypted files uploaded once by their sender and downloaded by each
// recipient with a key of its own, over signed HTTP requests (the wire
// format is relay/filewire's). Server is an http.Handler mounted at a
// path prefix ("/files" by default; signatures cover the full path).
//
// Layer: relay/files uses relay/filewire (signatures, ids, bodies, codes)
// and relay/limit (per-address accounting, client addresses, the store
// watermark), and keeps chunks in a Store declared here: diskstore
// natively (bbolt and a file per chunk), Durable Objects and R2 on the
// Worker (relay/cfworker). It knows nothing of chat or of the message
// relay, and builds for GOOS=js.
//
// Requests: POST /new creates a chunk with its first recipients, POST
// /add/<senderId> adds recipients, PUT /chunk/<senderId> uploads exactly
// the chunk's size once (the same bytes again succeed, others CONFLICT),
// GET /chunk/<recipientId> streams it with its length, DELETE
// /recipient/<recipientId> ends a recipient (the chunk goes with its
// last), DELETE /chunk/<senderId> ends the chunk. A chunk expires Expiry
// after it was created: from then on its ids are unknown (AUTH), and a
// background sweep deletes it.
//
// Limits (limits.go; docs/file-protocol.md "Limits"): a deadline on every
// request that grows with the chunk it carries (RequestTimeout +
// size/MinRate), so a trickling client cannot hold a connection for
// long; a body of at most the largest chunk (LARGE); per client address,
// requests in progress, chunk creations (token bucket) and the bytes its
// chunks hold now (LIMIT); a store watermark (QUOTA); recipients per chunk
// and per request. What is counted per address lives in memory only, is
// never logged, and nothing on disk links a chunk to an address.
//
// Concurrency: a Server is safe for concurrent use; every request runs on
// its own goroutine (net/http's). Store methods are atomic per chunk, so
// two uploads of one chunk, or an upload and a deletion, end as one of
// them first; the server's own state is the in-memory per-address
// accounting.
//
// Atomicity: a chunk's bytes become visible only whole (the Store's Put:
// spooled, checked against the signature, then committed); a crash
// leaves nothing half-uploaded visible. Every answer the relay sent
// (201, 204) is durable.
package files
