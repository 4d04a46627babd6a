//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// backend is what the handle runs on: the JS API methods, the event pump
// (run: the only place that emits events, started once the handle exists)
// and close.
type backend struct {
	methods map[string]bridge.Method
	run     func(ctx context.Context)
	close   func() error
}

// connAgent is the connection agent as the browser build drives it: what
// chat needs, plus its lifecycle.
type connAgent interface {
	chat.Agent
	SetHandler(h func(t chat.Tx, ev agent.Event) error)
	Start(ctx context.Context) error
	Close() error
}

// newAgent makes the agent of one open() on the store st (agent.go; tests
// replace it with an in-memory network).
var newAgent func(ctx context.Context, opts Options, st store.Store) (connAgent, error) = newRelayAgent

func isSchemaTooNew(err error) bool { return errors.Is(err, idbstore.ErrSchemaTooNew) }
