// Package cftest runs the relay Worker locally in the real Workers runtime
// (wrangler dev, offline, no account) for end-to-end tests and benchmarks
// with native clients.
//
// Start builds the Worker (worker/build.sh) and starts
// `wrangler dev --local` from the repository's node_modules on a free
// port, with a fresh auth key and state directory; Stop ends it. When
// Node.js or wrangler are missing, the tests skip and say how to install
// them (npm ci at the repository root).
//
// Layer: test helper above relay/cfworker and worker/.
// Concurrency: one Worker per Start; safe to use from many clients.
package cftest
