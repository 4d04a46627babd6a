// Package protosuite is the relay's protocol test suite as a function of a
// relay's URL, so the same tests run against the native relay (package
// relay, via relaytest.Start) and against the Cloudflare Worker (package
// relay/cfworker, under wrangler dev): every command, END and DELD,
// redelivery, authentication failures, quota and size limits, malformed
// frames and the plain-HTTP form.
//
// Layer: test helper; drives relays with core/relayclient and wsdial (the
// native clients) and raw relay/wire frames.
// Concurrency: Run starts subtests one after another; each uses its own
// clients and queues, so they also hold against a relay shared with other
// tests.
package protosuite
