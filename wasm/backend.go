//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// backend is what the handle runs on: the JS API methods, an event loop
// (run: the only place that emits events, started after the handle exists)
// and close.
type backend struct {
	methods map[string]bridge.Method
	run     func(ctx context.Context)
	close   func() error
}

func isSchemaTooNew(err error) bool { return errors.Is(err, idbstore.ErrSchemaTooNew) }
