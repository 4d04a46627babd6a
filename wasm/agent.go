//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/wasm/bridge"
	"github.com/sxweb/sxweb/wasm/jsws"
)

// browserDial is jsws.Dial as the relay client's Dialer.
func browserDial(ctx context.Context, url string) (relayclient.Conn, error) {
	return jsws.Dial(ctx, url)
}

// newRelayAgent is the real agent: core/agent over the browser WebSocket
// and the relays of opts, links made under opts.AppURL.
func newRelayAgent(_ context.Context, opts Options, st store.Store) (connAgent, error) {
	if len(opts.Relays) == 0 {
		return nil, bridge.Errorf(bridge.CodeBadArgument, "relays: none given and no page origin to default to")
	}
	a, err := agent.New(agent.Config{
		Store:    st,
		Relays:   opts.Relays,
		Dial:     browserDial,
		LinkBase: opts.AppURL,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, format+"\n", args...)
		},
	})
	if err != nil {
		return nil, err
	}
	return relayAgent{agentconn.Agent{Agent: a}}, nil
}

// relayAgent is the real agent with the chat layer's handler signature.
type relayAgent struct{ agentconn.Agent }

func (r relayAgent) SetHandler(h func(chat.Tx, agent.Event) error) {
	r.Agent.Agent.SetHandler(func(t *agent.Tx, ev agent.Event) error { return h(t, ev) })
}
