// Package rules is the relay's command rules, the checks that guard its
// security: which transmissions reach a queue at all, how each command is
// authenticated, when a SEND is refused, the quota rule, what a new queue
// record holds and when a queue counts as idle. The native relay (package
// relay and its stores) and the Cloudflare Worker (relay/cfworker) both
// apply these functions, so the two cannot drift apart; each keeps only
// its own storage and delivery.
//
// Layer: below relay, relay/store and relay/cfworker; uses relay/wire
// (authenticators, keys) and relay/store/record (the queue record). It
// must build for GOOS=js (the Worker) and pulls in nothing else.
//
// Concurrency: pure functions of their arguments; safe for concurrent use.
// Atomicity is the caller's: a store applies Secure and Admit to a record
// inside the transaction that writes it.
//
// Timing: every authentication path does the same work whether or not
// the queue exists (one HMAC, with a dummy key when there is none; SKEY
// also one X25519 first), so AUTH never tells an unknown queue from a bad
// tag.
package rules
