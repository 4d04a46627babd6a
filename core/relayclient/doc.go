// Package relayclient is the client side of the relay protocol
// (docs/relay-protocol.md): one Client per relay URL multiplexes every
// queue of that relay on one connection, correlates responses, packs
// commands issued close together into one frame, reconnects with backoff
// (Reconnect: dial now, when the device is back online) and re-subscribes
// every remembered queue in large batched frames.
//
// Layer: core; imports relay/wire (the shared codec) and nothing else of
// relay/. It must not import net/http or syscall/js: the transport is an
// injected Dialer (wsdial for native builds, a browser WebSocket in wasm/).
//
// Concurrency: every Client method is safe for concurrent use. Events are
// delivered in order on one bounded queue (core/fifo), which never blocks
// the connection: at most one MSG per remembered queue is outstanding
// until acknowledged, so the bound is the number of queues plus a little;
// a relay that pushes more is dropped and the queues re-subscribed.
package relayclient
