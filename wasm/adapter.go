//go:build js && wasm

package main

import (
	"context"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// newBackend wires the JS API to the chat client. Until core/chat's Client
// is complete every method rejects with NOT_IMPLEMENTED; this file is the
// only place that will name chat.Client methods.
func newBackend(ctx context.Context, opts Options, st store.Store, emit func(map[string]any)) (*backend, error) {
	ms := make(map[string]bridge.Method, len(APIMethods))
	for _, name := range APIMethods {
		name := name
		ms[name] = func(context.Context, bridge.Args) (any, error) {
			return nil, bridge.Errorf("NOT_IMPLEMENTED", "%s: not wired yet", name)
		}
	}
	return &backend{methods: ms, run: func(context.Context) {}, close: func() error { return nil }}, nil
}
