// Package idbstore is the core's storage contract (core/store.Store) on the
// browser's IndexedDB, reached through github.com/hack-pad/safejs.
//
// Layer: beside core/store, below wasm/; it imports core/store and nothing
// else of the project. Only the js/wasm build has code; natively the package
// is empty (only this comment and the key codec).
//
// Schema (version 3): the object store "kv" with out-of-line keys
// [bucket, key] (an array key) and byte-string values (see keys.go). One store, not one
// per bucket, because buckets are created by the core at run time and a new
// object store needs a versionchange transaction (a reopen, blocked by other
// tabs); array keys order by bucket first, then by key, so List is a key
// range on [bucket, prefix]. Keys and values are arbitrary Go bytes stored
// as byte strings: each byte becomes one UTF-16 code unit (0..255), so
// IndexedDB's code-unit order is the bytewise order the contract asks for,
// no byte sequence is lost to UTF-8 decoding, and a List result crosses
// from JS to Go as two joined strings instead of one call per record (10x
// fewer JS calls; V8 stores such strings one byte per character). Upgrades run in the open's upgradeneeded step, one function per
// version, from the database's old version to SchemaVersion.
//
// Version 2 added "files" (files.go): file bytes, keyed [fileId, part],
// each value a Blob. Blobs, not byte strings, because the browser keeps a
// Blob's bytes outside the database's pages and slices it without reading
// it whole: a 100 MB file to send is the page's Blob stored as it is, read
// 4 MB at a time while it is encrypted. Files is the chat layer's
// FileStore on it; its writes are their own transactions, separate from
// the kv batches (a file's bytes are never part of an action's state: the
// chat layer records a part only after it is stored).
//
// Version 3 added "keys" (keys_js.go): CryptoKeys, stored by structured
// clone (the at-rest layer's device key), and marks a database whose kv
// values and file parts are sealed at rest by the app
// (core/store/atrest; SealedFiles seals the parts, sealed.go): an app of
// version 2 refuses it (SCHEMA_TOO_NEW) instead of misreading it.
//
// Beyond store.Store, Store has the optional capabilities store.Scanner
// (scan.go: every record in (bucket, key) order, a page per readonly
// transaction) and store.Resetter (one readwrite transaction over every
// object store clears them and writes a batch).
//
// Transactions: Get and List use one readonly transaction each (List issues
// getAll and getAllKeys together, then joins each array with U+0100, which
// no byte string contains). Apply issues every put and delete of the
// batch in ONE readwrite transaction without awaiting anything in between
// (the batch needs no reads), then waits for complete or abort: either all
// of the batch lands or none of it. A transaction aborted with
// QuotaExceededError returns an error wrapping store.ErrQuota; any other
// abort returns a *TxError. Nothing is half-written in either case.
//
// Concurrency: safe for concurrent use by goroutines. Readwrite transactions
// on the same object store run in the order they were created, and Apply
// creates its transaction before it first blocks, so batches land in the
// order Apply was called. Never call these methods from inside a js.FuncOf
// callback: they wait for IndexedDB events, which need the event loop.
package idbstore
