// Package backup is the account backup: every record of a store and,
// optionally, the bytes of stored files, in one file encrypted and
// authenticated under a key derived from a passphrase (Argon2id), and the
// import that restores such a file into an empty database without ever
// leaving a partial one usable as an account.
//
// The format (docs/backup-and-storage.md has it byte by byte): an 86-byte
// header in clear (magic, format version, the records' schema version,
// flags, Argon2id parameters and salt, the stream's nonce prefix, and an
// HMAC of all that under a key derived from the passphrase), then one
// stream of entries (info, records in key order, files, end) sealed in
// 64 KiB segments with core/files' STREAM construction
// (XSalsa20-Poly1305, nonce = prefix, segment number, last-segment flag):
// a segment that is changed, moved, dropped, or a stream cut short or
// extended does not open. Writer and Reader hold one segment at a time.
//
// Layout of the package (after filippo.io/age): header.go parses and
// writes the header bytes only; stream.go only seals and opens segments;
// entries.go only encodes and decodes entries; writer.go, reader.go,
// export.go and import.go glue them to stores.
//
// Layer: core, pure Go. Imports core/store (records, the Scanner and
// Resetter capabilities), core/files (the segment cipher) and
// core/crypto/kdf; nothing of chat or the browser (what a file of the chat
// layer is, the caller says).
//
// Concurrency: a Writer or Reader is used by one goroutine. Export reads
// the store page by page and expects the caller to keep writers out for
// a consistent copy (wasm does it under the agent's lock).
//
// Atomicity of Import: the whole backup is read and authenticated first
// (nothing written); then, in one atomic Reset, the database is emptied
// and an "import in progress" marker written; the records follow in
// batches and the files part by part; the marker goes last. A database
// with the marker is not an account (Incomplete reports it; the app says
// so and offers the import again).
package backup
