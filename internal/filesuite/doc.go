// Package filesuite is the file relay's conformance suite
// (docs/file-protocol.md §1) as a function of a relay's URL, so the same
// tests run against the native relay (relay/files on diskstore, in
// process and as cmd/relay) and against the Cloudflare Worker: every
// request and error code, through core/files.Client over net/http as a
// client would, and raw HTTP for what a client never sends (signatures
// by the wrong key, stale dates, tampered bodies, another path, unknown
// and malformed ids, wrong sizes, bad JSON, CORS). What only some
// targets can do (move the relay's clock, restart it, kill it mid-upload,
// count its bytes) is optional in Target, and the tests that need it
// skip without it.
//
// Layer: test helper; drives relays with core/files and net/http, uses
// relay/filewire for raw requests.
// Concurrency: Run runs subtests one after another; each makes its own
// chunks, so they also hold against a relay shared with other tests.
package filesuite
