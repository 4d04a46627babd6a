//go:build js && wasm

package main

import (
	"context"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// newRelayAgent is the real agent: core/agent on the browser WebSocket
// (jsws.Dial) and the relays of opts, links under opts.AppURL. core/agent
// is not on main yet; until it is, open rejects with AGENT_UNAVAILABLE.
func newRelayAgent(ctx context.Context, opts Options, st store.Store) (connAgent, error) {
	return nil, bridge.Errorf("AGENT_UNAVAILABLE", "this build has no connection agent yet")
}
