// Package atrest encrypts a store at rest: a store.Store decorator that
// seals every value with AES-256-GCM under a per-database data key, with
// additional data binding it to its bucket and key (a value moved to
// another key, or another database, does not open). Bucket names and
// keys stay in clear: they are how the store orders and finds records
// (docs/backup-and-storage.md says exactly what stays visible).
//
// The data key is random, made when the database is, and kept only
// wrapped, in the header record (bucket "!atrest", which the decorator
// hides): by the device key (a Wrapper; in the browser a non-extractable
// WebCrypto key kept in IndexedDB, wasm/atrest.go) or by a key derived
// from a passphrase (Argon2id, core/crypto/kdf). SetPassphrase rewraps
// it; the values are never re-encrypted. Once unwrapped (one operation at
// Open), every value is sealed and opened in Go.
//
// A database written before this package existed (values in clear) is
// sealed in place by Open: page by page, each page's sealed values and
// the position reached committed in one batch, so a crash midway resumes
// where it stopped and loses nothing. File bytes kept outside the store
// are sealed by their owner with SealPart / OpenPart (idbstore.Files).
//
// Layer: beside core/store, below everything that uses a store; it
// imports core/store and core/crypto/kdf. Pure Go: storetest runs on it
// natively (over memstore and boltstore) and in the browser.
//
// Concurrency: safe for concurrent use, as the inner store is.
// Atomicity: Apply seals the whole batch, then hands it to the inner
// store's Apply: all or nothing as the inner store. System buckets
// (store.SystemPrefix) pass through in clear.
package atrest
