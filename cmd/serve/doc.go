// Command serve serves the built web app (build/web: index.html, the service
// worker, web/ with simplex.js, the wasm and the app's files), an embedded
// relay at /relay and the file relay at /files (its store under the data
// directory's files/), for development, the end-to-end tests and small
// deployments:
//
//	go run ./cmd/serve -addr 127.0.0.1:8080 -web build/web -data ./data
//
// The relay's limits have the same flags as cmd/relay's (-max-conns-per-ip,
// -client-ip-header behind a reverse proxy, ...; docs/relay-protocol.md,
// "Limits"), and its deadlines and connection caps cover the app's files
// too; the file relay's are cmd/relay's -files-* flags. With -addr host:0 it picks a free port; the first line it prints is
// "serving http://host:port/" once it listens (the tests wait for it).
//
// Layer: a command at the top; it imports relay (the server library) and
// net/http, never the browser packages. Concurrency: net/http's, one goroutine
// per request; the relay handler owns its own state.
package main
