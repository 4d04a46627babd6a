// Package limit is what the relays' limits share (docs/relay-protocol.md
// "Limits", docs/file-protocol.md §1): the key of a client address (the TCP
// peer, or a trusted proxy's header; IPv6 by its /64), a table of what
// each address holds and may still create (open requests, a held count, a
// token bucket), a store watermark with hysteresis, the free space of a
// file system and a byte-size flag value. The message relay (package
// relay) and the file relay (relay/files) use it; neither re-implements
// it.
//
// Privacy: addresses live in memory only, for as long as an address has
// something open or held or an unspent allowance; nothing here writes or
// logs one.
//
// Layer: below relay and relay/files; imports relay/rules (the token
// bucket the Worker shares) and nothing else of the project. It builds
// for GOOS=js (relay/files runs on the Worker), where free space is
// unknown.
//
// Concurrency: Table, Addr and Watermark are safe for concurrent use; the
// functions are pure.
package limit
