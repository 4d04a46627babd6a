//go:build js && wasm

package bridge

import (
	"context"

	"github.com/hack-pad/safejs"
)

// Await waits for a JS Promise (or thenable) from a goroutine: its value, or
// the rejection reason as a *Rejection. Never call it inside a js.FuncOf
// callback.
func Await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type result struct {
		v  safejs.Value
		ok bool
	}
	ch := make(chan result, 1)
	onOK, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{Args(args).at(0), true}
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	onErr, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{Args(args).at(0), false}
		return nil
	})
	if err != nil {
		onOK.Release()
		return safejs.Undefined(), err
	}
	if _, err := p.Call("then", onOK.Value(), onErr.Value()); err != nil {
		onOK.Release()
		onErr.Release()
		return safejs.Undefined(), err
	}
	select {
	case r := <-ch:
		onOK.Release()
		onErr.Release()
		if !r.ok {
			return safejs.Undefined(), rejection(r.v)
		}
		return r.v, nil
	case <-ctx.Done():
		// The handlers stay registered (the Promise may still settle); they
		// are tiny and only send to a buffered channel nobody reads.
		return safejs.Undefined(), ctx.Err()
	}
}

// Rejection is a rejected Promise's reason: its code and message when it
// is an Error, and the value itself.
type Rejection struct {
	Code, Name, Message string
	Value               safejs.Value
}

func (r *Rejection) Error() string {
	if r.Code != "" {
		return r.Code + ": " + r.Message
	}
	return "rejected: " + r.Name + ": " + r.Message
}

// ErrorCode makes the code of a rejected JS call pass through the bridge.
func (r *Rejection) ErrorCode() string { return r.Code }

func rejection(v safejs.Value) *Rejection {
	r := &Rejection{Value: v}
	if v.Type() != safejs.TypeObject {
		r.Message = "non-Error rejection"
		return r
	}
	get := func(name string) string {
		f, err := v.Get(name)
		if err != nil || f.Type() != safejs.TypeString {
			return ""
		}
		s, _ := f.String()
		return s
	}
	r.Code, r.Name, r.Message = get("code"), get("name"), get("message")
	return r
}
