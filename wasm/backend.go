//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"os"

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
	SetHandler(h func(ctx context.Context, ev chat.AgentEvent, b *store.Batch) error)
	Start(ctx context.Context) error
	Close() error
}

// newAgent makes the agent of one open() on the store st (agent.go; tests
// replace it with an in-memory network).
var newAgent func(ctx context.Context, opts Options, st store.Store) (connAgent, error) = newRelayAgent

// newBackend starts the chat client on st and binds the JS API to it.
func newBackend(ctx context.Context, opts Options, st store.Store, emit func(map[string]any)) (*backend, error) {
	ag, err := newAgent(ctx, opts, st)
	if err != nil {
		return nil, err
	}
	c, err := chat.New(chat.Config{Store: st, Agent: ag})
	if err != nil {
		ag.Close()
		return nil, err
	}
	ag.SetHandler(c.HandleAgentEvent)
	if err := c.Start(ctx); err != nil {
		ag.Close()
		c.Close()
		return nil, err
	}
	if err := ag.Start(ctx); err != nil {
		ag.Close()
		c.Close()
		return nil, err
	}
	run := func(ctx context.Context) {
		for {
			select {
			case ev, ok := <-c.Events():
				if !ok {
					return
				}
				m, err := chatEvent(ev)
				if err != nil {
					fmt.Fprintf(os.Stderr, "sxweb: event: %v\n", err)
					continue
				}
				emit(m)
			case <-ctx.Done():
				return
			}
		}
	}
	closeFn := func() error {
		err := c.Close()
		if aerr := ag.Close(); err == nil {
			err = aerr
		}
		return err
	}
	return &backend{methods: chatMethods(c), run: run, close: closeFn}, nil
}

func isSchemaTooNew(err error) bool { return errors.Is(err, idbstore.ErrSchemaTooNew) }
