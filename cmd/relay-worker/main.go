//go:build js && wasm

// Command relay-worker is the relay as a Cloudflare Worker (GOOS=js
// GOARCH=wasm): every request runs Main in a fresh Go instance, started by
// the JS glue in worker/src. Build with worker/build.sh.
package main

import "github.com/sxweb/sxweb/relay/cfworker"

func main() { cfworker.Main() }
