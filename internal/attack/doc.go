// Package attack drives the attacks of issue 9 against a running relay,
// as a hostile client would, and measures what they achieve: slow HTTP
// bodies, a flood of queue creations, a store filled to the brim, idle
// WebSockets; and issue 11's on its file relay (files.go): a disk filled
// from one address and from several, uploads trickling in, chunk
// creations as fast as the relay answers. A canary, an ordinary client
// (FileCanary for files), checks that the relay keeps serving others
// meanwhile. Its tests run the attacks against a real
// relay process (internal/relaytest) and assert bounds on what the
// attacker gets and on the relay's memory and descriptors; a report test
// prints the same figures for docs/relay-benchmarks.md, also for an older
// relay binary (SXWEB_RELAY_BIN).
//
// Attackers connect from other loopback addresses than the canary
// (127.0.0.2, ...: Linux routes all of 127/8 to lo), so per-address
// limits apply to them and not to the canary.
//
// Layer: test helper above relay/wire and core/relayclient; nothing
// imports it but tests. Concurrency: each attack runs its own goroutines
// and is safe to run beside the others; results are read after it ends.
package attack
