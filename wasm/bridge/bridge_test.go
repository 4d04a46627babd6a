//go:build js && wasm

package bridge

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// codedErr stands for chat.Error: an error type with a stable code.
type codedErr struct{ code string }

func (e codedErr) Error() string     { return "chat: " + e.code }
func (e codedErr) ErrorCode() string { return e.code }

func jsFunc(t *testing.T, src string) safejs.Value {
	t.Helper()
	f, err := safejs.MustGetGlobal("Function").New(src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sleepJS waits on a JS timer: it only returns if the event loop runs.
func sleepJS(ctx context.Context, ms int) error {
	p, err := safejs.MustGetGlobal("Promise").New(safejs.Unsafe(jsFuncRaw("ok", "setTimeout(ok, "+fmt.Sprint(ms)+")")))
	if err != nil {
		return err
	}
	_, err = Await(ctx, p)
	return err
}

func jsFuncRaw(args ...string) safejs.Value {
	anyArgs := make([]any, len(args))
	for i, a := range args {
		anyArgs[i] = a
	}
	f, _ := safejs.MustGetGlobal("Function").New(anyArgs...)
	return f
}

func testHandle(t *testing.T) *Handle {
	t.Helper()
	ms := map[string]Method{
		"echo": func(_ context.Context, a Args) (any, error) {
			s, err := a.String(0)
			if err != nil {
				return nil, err
			}
			return map[string]any{"text": s, "n": int64(7), "list": []map[string]any{{"a": 1}}, "none": nil}, nil
		},
		"fail": func(_ context.Context, a Args) (any, error) {
			code, _ := a.String(0)
			return nil, fmt.Errorf("wrapped: %w", codedErr{code})
		},
		"quota": func(context.Context, Args) (any, error) {
			return nil, fmt.Errorf("apply: %w", store.ErrQuota)
		},
		"plain": func(context.Context, Args) (any, error) { return nil, errors.New("no code") },
		"boom":  func(context.Context, Args) (any, error) { panic("boom") },
		"wait": func(ctx context.Context, _ Args) (any, error) {
			// Waiting on the event loop inside a method: only works because
			// the method runs in its own goroutine, not in the callback.
			if err := sleepJS(ctx, 5); err != nil {
				return nil, err
			}
			return "waited", nil
		},
		"block": func(ctx context.Context, _ Args) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
	}
	h, err := NewHandle(ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func call(t *testing.T, h *Handle, name string, args ...any) (safejs.Value, error) {
	t.Helper()
	p, err := h.Value().Call(name, args...)
	if err != nil {
		t.Fatalf("%s: synchronous error %v", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return Await(ctx, p)
}

func rejectionCode(t *testing.T, err error) string {
	t.Helper()
	var r *Rejection
	if !errors.As(err, &r) {
		t.Fatalf("want a rejected Promise, got %v", err)
	}
	if ok, _ := r.Value.InstanceOf(safejs.MustGetGlobal("Error")); !ok {
		t.Fatalf("rejection is not an Error: %v", r)
	}
	return r.Code
}

func TestResolvesPlainValues(t *testing.T) {
	h := testHandle(t)
	v, err := call(t, h, "echo", "hi")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := v.Get("text")
	n, _ := v.Get("n")
	list, _ := v.Get("list")
	first, _ := list.Index(0)
	a, _ := first.Get("a")
	none, _ := v.Get("none")
	ts, _ := text.String()
	ni, _ := n.Int()
	ai, _ := a.Int()
	if ts != "hi" || ni != 7 || ai != 1 || !none.IsUndefined() {
		t.Fatalf("resolved %q %d %d %v", ts, ni, ai, none.Type())
	}
}

func TestRejectionCodes(t *testing.T) {
	h := testHandle(t)
	cases := []struct {
		method string
		args   []any
		code   string
	}{
		{"fail", []any{"NOT_FOUND"}, "NOT_FOUND"},
		{"fail", []any{"BAD_LINK"}, "BAD_LINK"},
		{"quota", nil, CodeQuota},
		{"plain", nil, CodeInternal},
		{"echo", []any{42}, CodeBadArgument},
		{"echo", nil, CodeBadArgument},
		{"boom", nil, CodeInternal},
	}
	for _, c := range cases {
		_, err := call(t, h, c.method, c.args...)
		if got := rejectionCode(t, err); got != c.code {
			t.Errorf("%s(%v) rejected with code %q, want %q", c.method, c.args, got, c.code)
		}
	}
}

func TestPanicDoesNotKillRuntime(t *testing.T) {
	h := testHandle(t)
	for i := 0; i < 3; i++ {
		if _, err := call(t, h, "boom"); rejectionCode(t, err) != CodeInternal {
			t.Fatalf("panic rejected with %v", err)
		}
		if v, err := call(t, h, "echo", "still alive"); err != nil {
			t.Fatalf("call after panic: %v", err)
		} else if s, _ := v.Get("text"); s.IsUndefined() {
			t.Fatal("no result after panic")
		}
	}
}

func TestMethodMayWaitOnEventLoop(t *testing.T) {
	h := testHandle(t)
	v, err := call(t, h, "wait")
	if s, _ := v.String(); err != nil || s != "waited" {
		t.Fatalf("wait = %v, %v", v, err)
	}
}

func TestCloseRejectsLaterCallsAndCancelsRunning(t *testing.T) {
	h := testHandle(t)
	p, _ := h.Value().Call("block")
	if _, err := call(t, h, "close"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Await(ctx, p); rejectionCode(t, err) != CodeCanceled {
		t.Fatalf("running call after close: %v", err)
	}
	if _, err := call(t, h, "echo", "x"); rejectionCode(t, err) != CodeClosed {
		t.Fatalf("call after close: %v", err)
	}
}

func TestEventsInOrderAndBufferedUntilSink(t *testing.T) {
	h := testHandle(t)
	const n = 300
	for i := 0; i < n/2; i++ {
		h.Emit(map[string]any{"type": "message", "n": i})
	}
	// The sink records e.n and throws on n == 5: later events still arrive.
	got := safejs.MustGetGlobal("Array")
	arr, _ := got.New()
	sink := jsFunc(t, `const arr = this; return (ev) => { arr.push(ev.type + ":" + ev.n); if (ev.n === 5) throw new Error("sink bug"); };`)
	fn, err := sink.Call("call", arr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Value().Call("setEventSink", fn); err != nil {
		t.Fatal(err)
	}
	for i := n / 2; i < n; i++ {
		h.Emit(map[string]any{"type": "message", "n": i})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if l, _ := arr.Length(); l == n {
			break
		}
		if err := sleepJS(ctx, 1); err != nil {
			l, _ := arr.Length()
			t.Fatalf("delivered %d of %d events", l, n)
		}
	}
	for i := 0; i < n; i++ {
		v, _ := arr.Index(i)
		if s, _ := v.String(); s != fmt.Sprintf("message:%d", i) {
			t.Fatalf("event %d = %q", i, s)
		}
	}
}
