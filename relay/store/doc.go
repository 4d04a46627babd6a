// Package store is the relay's queue store: the Store interface the relay
// engine uses, an in-memory implementation (Mem) and a persistent one on
// bbolt with group commit (Bolt).
//
// Layer: below package relay; imports relay/store/record (the record
// types) and relay/rules (the quota and SKEY rules, applied inside its
// transactions), nothing else of the project. A later
// implementation puts each queue in a Cloudflare Durable Object, so every
// operation touches one queue (plus the sender-id index) and is atomic on
// its own; storetest is the conformance suite all implementations pass.
//
// What is stored: ids, public keys, derived authenticator keys, the queue's
// precomputed box key and the sender's ciphertext bodies. Never plaintext:
// the relay only ever sees what the sender already encrypted end to end.
//
// Concurrency: implementations are safe for concurrent use. A write returns
// only when it is durable (Bolt: after the fsync of the group commit that
// carried it); reads see every write that has returned.
package store
