//go:build js && wasm

package bridge

import (
	"context"
	"sync"

	"github.com/hack-pad/safejs"
)

// Method is one JS API method: it gets the call's context (canceled by
// close) and arguments, and returns a value for ToJS.
type Method func(ctx context.Context, a Args) (any, error)

// Handle is the JS object returned by open: one Promise-returning function
// per method, plus setEventSink(fn) and close().
type Handle struct {
	obj     safejs.Value
	events  *Events
	ctx     context.Context
	cancel  context.CancelFunc
	onClose func() error
	mu      sync.Mutex
	closed  bool
	fns     []safejs.Func
}

// NewHandle builds the JS object. onClose runs once, in a goroutine, when
// JS calls close(); calls made after that reject with CLOSED.
func NewHandle(methods map[string]Method, onClose func() error) (*Handle, error) {
	obj, err := jsObject.New()
	if err != nil {
		return nil, err
	}
	h := &Handle{obj: obj, events: NewEvents(), onClose: onClose}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	for name, m := range methods {
		if err := h.define(name, h.wrap(m)); err != nil {
			return nil, err
		}
	}
	err = h.defineSync("setEventSink", func(a Args) {
		h.events.SetSink(a.at(0))
	})
	if err == nil {
		err = h.define("close", h.close)
	}
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Value is the JS object.
func (h *Handle) Value() safejs.Value { return h.obj }

// Emit queues an event for the sink (see Events).
func (h *Handle) Emit(ev map[string]any) { h.events.Emit(ev) }

// Context is canceled when the handle is closed.
func (h *Handle) Context() context.Context { return h.ctx }

func (h *Handle) wrap(m Method) Method {
	return func(ctx context.Context, a Args) (any, error) {
		if h.isClosed() {
			return nil, Errorf(CodeClosed, "the client is closed")
		}
		return m(ctx, a)
	}
}

func (h *Handle) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

func (h *Handle) close(context.Context, Args) (any, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, nil
	}
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.events.Stop()
	if h.onClose != nil {
		return nil, h.onClose()
	}
	return nil, nil
}

// define sets obj[name] to a function returning a Promise of m's result.
// The functions are never released: JS may keep and call them after close.
func (h *Handle) define(name string, m Method) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		a := append(Args(nil), args...)
		return Promise(h.ctx, func(ctx context.Context) (any, error) { return m(ctx, a) })
	})
	if err != nil {
		return err
	}
	h.fns = append(h.fns, f)
	return h.obj.Set(name, f.Value())
}

// defineSync sets obj[name] to a function that runs fn at once (fn must
// not wait for anything) and returns undefined.
func (h *Handle) defineSync(name string, fn func(Args)) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		fn(append(Args(nil), args...))
		return nil
	})
	if err != nil {
		return err
	}
	h.fns = append(h.fns, f)
	return h.obj.Set(name, f.Value())
}
