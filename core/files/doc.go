// Package files is the client side of file transfer (docs/file-protocol.md):
// a file is encrypted once with a random key in 64 KiB segments
// (XSalsa20-Poly1305, the STREAM construction: no segment can be reordered,
// dropped or cut off unnoticed), cut into fixed-size padded chunks, uploaded
// once to a file relay with one recipient id per recipient per chunk, and
// downloaded by each recipient from the description it gets in a chat
// message (Description: relay, ids, keys, digests).
//
// Layer: core, below core/chat; no network of its own: the relay is reached
// through the small HTTP interface declared here (a fetch-based one in the
// browser, net/http natively — never in the browser build). No storage of
// its own either: callers read the plaintext from a Source and write it to a
// Sink, one chunk at a time, so a 1 GB file is never in memory.
//
// Concurrency: Encryptor and Decryptor are used by one goroutine; Client is
// safe for concurrent use.
package files
