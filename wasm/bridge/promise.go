//go:build js && wasm

package bridge

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/hack-pad/safejs"
)

var (
	jsPromise = safejs.MustGetGlobal("Promise")
	jsError   = safejs.MustGetGlobal("Error")
)

// Work is the body of one JS call; it runs in its own goroutine.
type Work func(ctx context.Context) (any, error)

// Promise returns a JS Promise settled by work, which runs in a new
// goroutine: resolved with ToJS(result), or rejected with an Error whose
// code is CodeOf(err). A panic in work rejects with code INTERNAL.
func Promise(ctx context.Context, work Work) safejs.Value {
	var resolve, reject safejs.Value
	exec, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	if err != nil {
		return rejectedNow(err)
	}
	p, err := jsPromise.New(exec.Value())
	exec.Release()
	if err != nil {
		return rejectedNow(err)
	}
	go func() {
		v, err := run(ctx, work)
		if err == nil {
			var jv safejs.Value
			if jv, err = ToJS(v); err == nil {
				if _, err = resolve.Invoke(jv); err == nil {
					return
				}
			}
		}
		if _, err := reject.Invoke(JSError(err)); err != nil {
			fmt.Fprintf(os.Stderr, "bridge: reject: %v\n", err)
		}
	}()
	return p
}

// run calls work and turns a panic into an INTERNAL error.
func run(ctx context.Context, work Work) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "bridge: panic: %v\n%s", r, debug.Stack())
			v, err = nil, Errorf(CodeInternal, "panic: %v", r)
		}
	}()
	return work(ctx)
}

// JSError is the JS Error for err: message err.Error(), property code.
func JSError(err error) safejs.Value {
	e, jerr := jsError.New(err.Error())
	if jerr != nil {
		e, _ = safejs.ValueOf(map[string]any{"message": err.Error()})
	}
	_ = e.Set("code", CodeOf(err))
	return e
}

// rejectedNow is Promise.reject(err), for failures before any goroutine.
func rejectedNow(err error) safejs.Value {
	p, _ := jsPromise.Call("reject", JSError(err))
	return p
}
