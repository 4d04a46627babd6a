// Package diskstore is the native file relay's store (files.Store):
// metadata in a bbolt file, each chunk's bytes in a file of its own.
//
// On disk, under the data directory:
//
//	files.db            bbolt: chunk records by sender id, recipient ids
//	                    with their keys, each chunk's recipient list and an
//	                    expiry index (record.go)
//	chunks/<name>       an uploaded chunk's bytes; name is 16 random bytes
//	                    in hex chosen when the chunk was created, so the
//	                    directory links no file to an id (and the ids are
//	                    only in files.db)
//	tmp/                uploads in progress
//
// No client address, and no link between a sender id and its recipient
// ids other than the records the protocol needs.
//
// Atomicity: an upload is written to tmp/, fsync'd, checked (the
// relay's signature check over its digest), then renamed into chunks/
// (the directory fsync'd) inside the bbolt transaction that marks the
// chunk uploaded: a crash before that commit leaves at most a file no
// record points to, which Open removes with everything in tmp/, so a half
// chunk is never visible. A deletion commits first and removes the file
// after. Every write is one fsync'd bbolt transaction.
//
// Layer: below relay/files (implements its Store); imports bbolt and
// relay/files, nothing else of the project. Native only (not in the
// Worker).
//
// Concurrency: safe for concurrent use; bbolt serializes writes, so two
// uploads of one chunk race to one commit and the second compares.
package diskstore
