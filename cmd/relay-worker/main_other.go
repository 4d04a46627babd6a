//go:build !(js && wasm)

// Command relay-worker is the relay as a Cloudflare Worker; it only builds
// for GOOS=js GOARCH=wasm (worker/build.sh). For a native relay use cmd/relay.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "relay-worker: build with GOOS=js GOARCH=wasm (worker/build.sh); for a native relay use cmd/relay")
	os.Exit(2)
}
