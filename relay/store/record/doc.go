// Package record holds what every relay queue store shares: the Queue and
// Message types and the length-prefixed byte fields their stored records are
// made of. Package relay/store (bbolt, memory) re-exports the types; the
// Cloudflare Worker (relay/cfworker, GOOS=js) imports this package directly
// because relay/store pulls in bbolt, which does not build for js/wasm.
//
// Layer: a leaf below relay/store and relay/cfworker; imports only the
// standard library. Each store keeps its own record layout (header and
// field list); only the types and the field encoding are shared here.
//
// Concurrency: plain values and pure functions, no shared state.
package record
