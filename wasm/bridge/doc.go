// Package bridge is the plumbing between Go and the page's JavaScript:
// Promise-returning methods on a plain JS object, stable error codes on
// rejected Promises, panics recovered at the boundary, and an ordered event
// stream pushed to one JS sink function. It knows nothing of chat; the wasm
// main package fills a Handle with methods.
//
// Layer: wasm/ only (GOOS=js), on github.com/hack-pad/safejs.
//
// Concurrency: every method call runs in a new goroutine (a js.FuncOf
// callback must never wait: IndexedDB and WebSocket events need the event
// loop it would hold). Events are delivered to the sink from one goroutine,
// in the order Emit was called; a sink that throws is reported on stderr
// and does not stop later events.
package bridge
