//go:build js && wasm

package cfworker

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/syumai/workers"

	"github.com/sxweb/sxweb/relay/wire"
)

// serveSession keeps one Go instance for a session's object while it is
// busy (role "session-keep"): the JS glue calls binding.frame for every
// WebSocket message as it arrives, and the Orderer keeps the session's
// transmissions on one entity in order across frames, so frames on
// different queues run concurrently. binding.exit ends the instance (the
// glue calls it when the session has been idle a while).
func serveSession(e *Engine) {
	b := js.Global().Get("context").Get("binding")
	o := NewOrderer()
	exit := make(chan struct{})
	var once sync.Once
	var funcs []js.Func
	set := func(name string, f func(args []js.Value) any) {
		jf := js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) })
		funcs = append(funcs, jf)
		b.Set(name, jf)
	}
	set("hello", func(a []js.Value) any {
		s, err := sessionArg(a)
		if err != nil {
			return js.Null()
		}
		return uint8Array(e.Keys().Hello(s.ID))
	})
	set("clientHello", func(a []js.Value) any {
		if len(a) < 1 {
			return false
		}
		v, err := wire.ParseClientHello(bytesOf(a[0]))
		return err == nil && v >= wire.MinVersion && v <= wire.MaxVersion
	})
	// frame(sid, bytes) → Promise<Uint8Array>: the answer frames as a list.
	set("frame", func(a []js.Value) any {
		s, err := sessionArg(a)
		if err != nil || len(a) < 2 {
			return rejected(fmt.Errorf("frame: %w", ErrBadRequest))
		}
		wait := e.StartFrame(context.Background(), s, o, bytesOf(a[1]), callQueue)
		return promise(func() any { return uint8Array(EncodeList(wait())) })
	})
	set("exit", func([]js.Value) any {
		once.Do(func() { close(exit) })
		return nil
	})
	workers.Ready()
	<-exit
	for _, f := range funcs {
		f.Release()
	}
}

func sessionArg(a []js.Value) (Session, error) {
	s := Session{Push: true}
	if len(a) < 1 || a[0].Type() != js.TypeString {
		return s, ErrBadRequest
	}
	sid, err := hex.DecodeString(a[0].String())
	if err != nil || len(sid) != wire.SessionIDLen {
		return s, ErrBadRequest
	}
	copy(s.ID[:], sid)
	return s, nil
}

// promise returns a JS Promise resolved with f's result, run in a goroutine.
func promise(f func() any) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		executor.Release()
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(js.Global().Get("Error").New(fmt.Sprint("relay: panic: ", r)))
				}
			}()
			resolve.Invoke(f())
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

func rejected(err error) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(err.Error()))
}

// serveQueue keeps one Go instance for a queue's object while it is busy
// (role "queue-keep"): binding.cmd(bytes) → Promise<Uint8Array> runs one
// command, binding.expire() → Promise the alarm's expiry; the object calls
// them one at a time
// (blockConcurrencyWhile), so the instance never runs two. binding.exit
// ends it.
func serveQueue(h *queueHandler) {
	b := js.Global().Get("context").Get("binding")
	exit := make(chan struct{})
	var once sync.Once
	cmd := js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) < 1 {
			return rejected(ErrBadRequest)
		}
		body := bytesOf(a[0])
		return promise(func() any {
			out, err := h.run(body)
			if err != nil {
				return js.Null()
			}
			return uint8Array(out)
		})
	})
	expire := js.FuncOf(func(js.Value, []js.Value) any {
		return promise(func() any { h.expire(); return nil })
	})
	quit := js.FuncOf(func(js.Value, []js.Value) any {
		once.Do(func() { close(exit) })
		return nil
	})
	b.Set("cmd", cmd)
	b.Set("expire", expire)
	b.Set("exit", quit)
	workers.Ready()
	<-exit
	cmd.Release()
	expire.Release()
	quit.Release()
}
