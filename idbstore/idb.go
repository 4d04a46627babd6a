//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// handlers owns the Go functions set as event handler properties
// (onsuccess, oncomplete, ...). release clears the properties before freeing
// the functions, so an event that fires late finds no handler instead of a
// released Go function (which would crash the runtime).
type handlers struct {
	fns   []safejs.Func
	props []handlerProp
}

type handlerProp struct {
	v    safejs.Value
	prop string
}

func (h *handlers) on(v safejs.Value, prop string, fn func(this safejs.Value, args []safejs.Value)) error {
	f, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) any {
		fn(this, args)
		return nil
	})
	if err != nil {
		return err
	}
	h.fns = append(h.fns, f)
	h.props = append(h.props, handlerProp{v, prop})
	return v.Set(prop, f.Value())
}

func (h *handlers) release() {
	for _, p := range h.props {
		_ = p.v.Set(p.prop, nil)
	}
	for _, f := range h.fns {
		f.Release()
	}
	h.fns, h.props = nil, nil
}

// domError returns the name and message of a DOMException-like value
// (empty name for null or undefined).
func domError(v safejs.Value) (name, msg string) {
	if v.IsNull() || v.IsUndefined() {
		return "", ""
	}
	if n, err := v.Get("name"); err == nil && n.Type() == safejs.TypeString {
		name, _ = n.String()
	}
	if m, err := v.Get("message"); err == nil && m.Type() == safejs.TypeString {
		msg, _ = m.String()
	}
	return name, msg
}

// txError builds the error of an aborted transaction from its error value.
func txError(op string, errVal safejs.Value, fallback error) error {
	name, msg := domError(errVal)
	if name == "" && fallback != nil {
		var je js.Error
		if errors.As(fallback, &je) {
			name, msg = domError(safejs.Safe(je.Value))
		}
	}
	if name == "" {
		if fallback != nil {
			return fmt.Errorf("idbstore: %s: %w", op, fallback)
		}
		name, msg = "AbortError", "transaction aborted"
	}
	e := &TxError{Op: op, Name: name, Message: msg}
	if name == "QuotaExceededError" {
		e.quota = store.ErrQuota
	}
	return e
}

// awaitRequests waits until every request has succeeded (their results, in
// order) or one failed. Requests must belong to one transaction: once one
// fails the transaction aborts and the others fail too.
func awaitRequests(ctx context.Context, op string, reqs ...safejs.Value) ([]safejs.Value, error) {
	type outcome struct {
		i   int
		val safejs.Value
		err error
	}
	ch := make(chan outcome, 2*len(reqs))
	var h handlers
	defer h.release()
	for i, req := range reqs {
		i, req := i, req
		if err := h.on(req, "onsuccess", func(safejs.Value, []safejs.Value) {
			res, err := req.Get("result")
			ch <- outcome{i: i, val: res, err: err}
		}); err != nil {
			return nil, err
		}
		if err := h.on(req, "onerror", func(safejs.Value, []safejs.Value) {
			ev, _ := req.Get("error")
			ch <- outcome{i: i, err: txError(op, ev, nil)}
		}); err != nil {
			return nil, err
		}
	}
	out := make([]safejs.Value, len(reqs))
	for n := 0; n < len(reqs); n++ {
		select {
		case o := <-ch:
			if o.err != nil {
				return nil, o.err
			}
			out[o.i] = o.val
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// txWaiter observes a transaction's end. It must be attached right after
// the transaction is created, before any wait.
type txWaiter struct {
	tx   safejs.Value
	h    handlers
	done chan bool // true: complete, false: abort
}

func watchTx(tx safejs.Value) (*txWaiter, error) {
	w := &txWaiter{tx: tx, done: make(chan bool, 2)}
	if err := w.h.on(tx, "oncomplete", func(safejs.Value, []safejs.Value) { w.done <- true }); err != nil {
		return nil, err
	}
	if err := w.h.on(tx, "onabort", func(safejs.Value, []safejs.Value) { w.done <- false }); err != nil {
		w.h.release()
		return nil, err
	}
	return w, nil
}

// abort asks the transaction to abort; it fails harmlessly when the
// transaction already finished.
func (w *txWaiter) abort() { _, _ = w.tx.Call("abort") }

// wait blocks until the transaction completes (nil) or aborts (its error,
// or cause when the abort had none). On ctx cancellation it aborts the
// transaction and still waits for the outcome, so the caller knows whether
// the writes landed.
func (w *txWaiter) wait(ctx context.Context, op string, cause error) error {
	defer w.h.release()
	var ok bool
	select {
	case ok = <-w.done:
	case <-ctx.Done():
		w.abort()
		ok = <-w.done
		if !ok {
			return ctx.Err()
		}
	}
	if ok {
		return nil
	}
	ev, _ := w.tx.Get("error")
	return txError(op, ev, cause)
}
