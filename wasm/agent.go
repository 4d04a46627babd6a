//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
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
	return relayAgent{a}, nil
}

// relayAgent adapts *agent.Agent's handler to the chat layer's events.
// (All other methods of chat.Agent are the agent's own.)
type relayAgent struct{ *agent.Agent }

func (r relayAgent) SetHandler(h func(ctx context.Context, ev chat.AgentEvent, b *store.Batch) error) {
	r.Agent.SetHandler(func(ctx context.Context, ev agent.Event, b *store.Batch) error {
		cev, ok := chatAgentEvent(ev)
		if !ok {
			return nil
		}
		return h(ctx, cev, b)
	})
}

// chatAgentEvent converts an agent event; relay up/down are not the chat
// layer's business (false).
func chatAgentEvent(ev agent.Event) (chat.AgentEvent, bool) {
	switch e := ev.(type) {
	case agent.Confirmation:
		return chat.AgentEvent{Kind: chat.AgentConfirmation, ConnID: e.ConnID, ConfID: e.ConfID, ConnInfo: e.ConnInfo}, true
	case agent.Request:
		return chat.AgentEvent{Kind: chat.AgentRequest, ConnID: e.ConnID, ReqID: e.ReqID, ConnInfo: e.ConnInfo}, true
	case agent.Connected:
		return chat.AgentEvent{Kind: chat.AgentConnected, ConnID: e.ConnID, ConnInfo: e.ConnInfo}, true
	case agent.Message:
		return chat.AgentEvent{Kind: chat.AgentMessage, ConnID: e.ConnID, MsgNum: e.MsgNum, Body: e.Body}, true
	case agent.Sent:
		return chat.AgentEvent{Kind: chat.AgentSent, ConnID: e.ConnID, MsgNum: e.MsgNum}, true
	case agent.Delivered:
		return chat.AgentEvent{Kind: chat.AgentDelivered, ConnID: e.ConnID, MsgNum: e.MsgNum}, true
	case agent.Deleted:
		return chat.AgentEvent{Kind: chat.AgentDeleted, ConnID: e.ConnID}, true
	case agent.SendFailed:
		return chat.AgentEvent{Kind: chat.AgentOther, ConnID: e.ConnID, MsgNum: e.MsgNum, Detail: "send failed: " + e.Code}, true
	case agent.Integrity:
		return chat.AgentEvent{Kind: chat.AgentOther, ConnID: e.ConnID, MsgNum: e.MsgNum, Detail: "integrity: " + e.Kind}, true
	}
	return chat.AgentEvent{}, false
}
