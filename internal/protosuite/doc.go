// Package protosuite is the relay's protocol test suite as a function of a
// relay's URL, so the same tests run against the native relay (package
// relay, via relaytest.Start) and against the Cloudflare Worker (package
// relay/cfworker, under wrangler dev): every command, END and DELD,
// redelivery, authentication failures, quota and size limits, malformed
// frames, the plain-HTTP form and what a replayed POST can do. Its helpers
// (Ctx, NewClient, Next, NoMessage, WantCode, DialRaw, Post) are exported
// for the tests of what one relay alone has (package relay's durability,
// expiry and idle tests) and for core/relayclient's tests.
//
// Layer: test helper; drives relays with core/relayclient and wsdial (the
// native clients) and raw relay/wire frames.
// Concurrency: Run starts subtests one after another; each uses its own
// clients and queues, so they also hold against a relay shared with other
// tests.
package protosuite
