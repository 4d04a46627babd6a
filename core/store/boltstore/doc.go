// Package boltstore is the core's storage contract (core/store.Store) on a
// bbolt file, for native clients: bots, tools, the benchmark swarm. What
// Apply returned nil for survives kill -9 and power loss, as IndexedDB
// keeps it for the browser.
//
// Layer: beside core/store, like idbstore; it imports core/store and
// go.etcd.io/bbolt and nothing else of the project. Native only (bbolt
// needs mmap and flock): under GOOS=js the package is empty (only this
// comment), and nothing reachable from the wasm build imports it
// (arch_test.go checks).
//
// File format 1 (format.go): a "meta" bucket records the format; each store
// bucket is a bbolt bucket named "b/" + its name, created by the first
// write to it; each key is stored behind a one-byte tag (bbolt refuses the
// empty key, the contract does not), which keeps the bytewise order. Open
// refuses a bbolt file of something else (ErrNotStore) and a newer format
// (ErrFormatTooNew), and holds an exclusive lock on the file until Close:
// a second Open waits Options.LockTimeout, then fails with ErrLocked.
//
// Atomicity and durability: a batch is written inside one bbolt read-write
// transaction, which bbolt commits with an fsync of the pages and then of
// the meta page that points at them; a crash before the meta page lands
// leaves the previous state. So a batch is all there or not at all, and
// when Apply returns nil it is on disk. The crash test kills a writing
// child process with SIGKILL at random points and checks exactly that.
//
// Concurrency: safe for concurrent use. Reads are bbolt read transactions
// and run in parallel with each other and with a commit. Writes are group
// committed (apply.go): the Apply caller that finds no commit running
// writes every batch queued at that moment, in call order, in one
// transaction with one fsync, each batch still all or nothing; callers
// arriving meanwhile queue up for the next one. A lone writer pays one
// fsync per batch, like a plain bbolt Update; concurrent writers share
// them (numbers in docs/native-store.md). No goroutine runs while nobody
// writes. Batches land in the order Apply was called, and a read sees
// every batch whose Apply has returned.
//
// Errors: store.ErrNotFound, store.ErrClosed; Apply fails with ErrTooLarge
// (checked before the batch is queued) and with an error matching
// store.ErrQuota when the disk is full (ENOSPC, EDQUOT, EFBIG from a write
// or fsync).
package boltstore
