//go:build js && wasm

package jsws

import (
	"context"
	"fmt"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/fifo"
)

// Conn is one open WebSocket.
type Conn struct {
	ws  safejs.Value
	fns []safejs.Func

	frames  *fifo.Queue[[]byte] // received, not yet read; closed when the socket ends
	mu      sync.Mutex
	closed  chan struct{} // closed once the socket is closed or failed
	closeEr error
}

// MaxQueuedFrames bounds the frames received and not yet read. A reader
// that falls this far behind (or a peer that floods) ends the connection:
// the relay client reconnects and nothing unacknowledged is lost.
const MaxQueuedFrames = 4096

// Dial opens a WebSocket to url (ws:// or wss://) and returns once it is
// open, failed, or ctx is done (then the socket is closed).
func Dial(ctx context.Context, url string) (*Conn, error) {
	ctor, err := safejs.Global().Get("WebSocket")
	if err != nil || ctor.IsUndefined() {
		return nil, fmt.Errorf("%w: no WebSocket in this runtime", ErrDial)
	}
	ws, err := ctor.New(url)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDial, url, err)
	}
	c := &Conn{ws: ws, frames: fifo.New[[]byte](MaxQueuedFrames), closed: make(chan struct{})}
	opened := make(chan struct{})
	if err := c.setup(opened); err != nil {
		c.Close()
		return nil, err
	}
	select {
	case <-opened:
		return c, nil
	case <-c.closed:
		return nil, fmt.Errorf("%w: %s: %v", ErrDial, url, c.closeEr)
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

func (c *Conn) setup(opened chan struct{}) error {
	if err := c.ws.Set("binaryType", "arraybuffer"); err != nil {
		return err
	}
	var once sync.Once
	handlers := map[string]func(args []safejs.Value){
		"onopen":    func([]safejs.Value) { once.Do(func() { close(opened) }) },
		"onmessage": c.onMessage,
		"onclose":   c.onClose,
		"onerror":   func([]safejs.Value) {}, // always followed by close
	}
	for prop, fn := range handlers {
		fn := fn
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { fn(args); return nil })
		if err != nil {
			return err
		}
		c.fns = append(c.fns, f)
		if err := c.ws.Set(prop, f.Value()); err != nil {
			return err
		}
	}
	return nil
}

var uint8Array = safejs.MustGetGlobal("Uint8Array")

func (c *Conn) onMessage(args []safejs.Value) {
	if len(args) == 0 {
		return
	}
	data, err := args[0].Get("data")
	if err != nil {
		return
	}
	if data.Type() == safejs.TypeString {
		c.fail(1003, "text frame on a binary connection")
		return
	}
	arr, err := uint8Array.New(data)
	var n int
	if err == nil {
		n, err = arr.Length()
	}
	if err != nil {
		c.fail(1003, "unreadable frame")
		return
	}
	buf := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(buf, arr); err != nil {
		c.fail(1003, "unreadable frame")
		return
	}
	if c.frames.Push(buf) == fifo.ErrFull {
		c.fail(1008, "frames arrive faster than they are read")
	}
}

func (c *Conn) onClose(args []safejs.Value) {
	ce := &CloseError{Code: 1006}
	if len(args) > 0 {
		if v, err := args[0].Get("code"); err == nil {
			ce.Code, _ = v.Int()
		}
		if v, err := args[0].Get("reason"); err == nil {
			ce.Reason, _ = v.String()
		}
	}
	c.markClosed(ce)
}

// markClosed records the end of the connection once.
func (c *Conn) markClosed(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closed:
		return
	default:
	}
	c.closeEr = err
	close(c.closed)
	c.frames.Close()
	c.detach()
}

// detach removes the JS handlers and frees the Go functions: no event can
// reach a released function afterwards. (Release may run inside the handler
// being released; that is allowed.)
func (c *Conn) detach() {
	for _, prop := range []string{"onopen", "onmessage", "onclose", "onerror"} {
		_ = c.ws.Set(prop, nil)
	}
	for _, f := range c.fns {
		f.Release()
	}
	c.fns = nil
}

// fail closes the socket because of a protocol error.
func (c *Conn) fail(code int, reason string) {
	_, _ = c.ws.Call("close", code, reason)
	c.markClosed(&CloseError{Code: code, Reason: reason})
}

// Read returns the next binary frame. Frames that arrived before the
// connection closed are still returned; then the close error.
func (c *Conn) Read(ctx context.Context) ([]byte, error) {
	b, err := c.frames.Pop(ctx)
	if err == fifo.ErrClosed {
		c.mu.Lock()
		defer c.mu.Unlock()
		return nil, c.closeEr
	}
	return b, err
}

// Write sends frame as one binary message.
func (c *Conn) Write(ctx context.Context, frame []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-c.closed:
		return c.closeEr
	default:
	}
	arr, err := uint8Array.New(len(frame))
	if err == nil {
		_, err = safejs.CopyBytesToJS(arr, frame)
	}
	if err == nil {
		_, err = c.ws.Call("send", arr)
	}
	if err != nil {
		return fmt.Errorf("jsws: send: %w", err)
	}
	return nil
}

// Buffered is the number of bytes queued by Write but not yet sent.
func (c *Conn) Buffered() int {
	v, err := c.ws.Get("bufferedAmount")
	if err != nil {
		return 0
	}
	n, _ := v.Int()
	return n
}

// Close closes the connection (code 1000). Pending and later Reads return
// ErrClosed once the queued frames are read.
func (c *Conn) Close() error {
	_, err := c.ws.Call("close", 1000)
	c.markClosed(ErrClosed)
	return err
}
