// Package jsws is the browser transport of the relay client: a binary
// message connection (Read, Write, Close with a context) on the browser's
// WebSocket API, reached through github.com/hack-pad/safejs. Dial has the
// shape of core/relayclient.Dialer; *Conn satisfies relayclient.Conn.
//
// Layer: wasm/ only (GOOS=js). It never imports net/http or
// coder/websocket: those cost megabytes in the browser build and the
// browser's own WebSocket does the job.
//
// Frames are binary (binaryType "arraybuffer"); a text frame from the peer
// is a protocol error that closes the connection. Reads are queued in
// arrival order by the JS onmessage handler, which never blocks.
//
// Concurrency: Read, Write and Close are safe for concurrent use; Read
// returns frames in arrival order to whichever caller asks. Never call them
// from inside a js.FuncOf callback: they wait for JS events.
package jsws
