//go:build js && wasm

// Command wasm is the browser build of the client (GOOS=js GOARCH=wasm).
// It registers globalThis.__sxweb = { open(options), importAccount(options) }
// (account.go), calls
// globalThis.__sxwebReady() when that is a function, and keeps running.
//
// open({db, relays, appURL}) resolves to a handle whose methods are the JS
// API of web/simplex.js (setProfile, contacts, sendGroupMessage, ...), each
// returning a Promise of plain JS values, plus setEventSink(fn) and close().
// Errors reject with an Error whose code is a stable string (chat error
// codes, QUOTA, INTERNAL, BAD_ARGUMENT, CLOSED).
//
// Layer: the top of the browser build: wasm/bridge (Promises, events),
// wasm/jsws (relay transport on the browser WebSocket), idbstore (state on
// IndexedDB), core/chat over core/agent. adapter.go is the only file that
// names chat.Client methods. Nothing reachable from here imports net/http
// (guarded by arch_test.go).
//
// Concurrency: each JS call runs in its own goroutine (bridge); the chat
// client serialises its own state.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/wasm/bridge"
)

func main() {
	if err := register(); err != nil {
		fmt.Fprintf(os.Stderr, "sxweb: %v\n", err)
		os.Exit(1)
	}
	select {}
}

// register installs globalThis.__sxweb and signals readiness.
func register() error {
	api, err := safejs.MustGetGlobal("Object").New()
	if err != nil {
		return err
	}
	open, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		a := append(bridge.Args(nil), args...)
		return bridge.Promise(context.Background(), func(ctx context.Context) (any, error) {
			return openHandle(ctx, a)
		})
	})
	if err != nil {
		return err
	}
	if err := api.Set("open", open.Value()); err != nil {
		return err
	}
	if err := registerImport(api); err != nil {
		return err
	}
	if err := safejs.Global().Set("__sxweb", api); err != nil {
		return err
	}
	if ready, err := safejs.Global().Get("__sxwebReady"); err == nil && ready.Type() == safejs.TypeFunction {
		if _, err := ready.Invoke(); err != nil {
			fmt.Fprintf(os.Stderr, "sxweb: __sxwebReady: %v\n", err)
		}
	}
	return nil
}
