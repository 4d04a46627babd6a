package groupbench

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/wire"
)

// Traffic is a snapshot of what one or more relay connections carried.
type Traffic struct {
	BytesUp, BytesDown   int64
	FramesUp, FramesDown int64
	Up, Down             [32]int64 // transmissions by wire.Code (client commands up, responses down)
}

// Add returns t + u.
func (t Traffic) Add(u Traffic) Traffic {
	t.BytesUp += u.BytesUp
	t.BytesDown += u.BytesDown
	t.FramesUp += u.FramesUp
	t.FramesDown += u.FramesDown
	for i := range t.Up {
		t.Up[i] += u.Up[i]
		t.Down[i] += u.Down[i]
	}
	return t
}

// Sub returns t - u.
func (t Traffic) Sub(u Traffic) Traffic {
	t.BytesUp -= u.BytesUp
	t.BytesDown -= u.BytesDown
	t.FramesUp -= u.FramesUp
	t.FramesDown -= u.FramesDown
	for i := range t.Up {
		t.Up[i] -= u.Up[i]
		t.Down[i] -= u.Down[i]
	}
	return t
}

// Cmds is the number of client commands sent, all kinds.
func (t Traffic) Cmds() int64 {
	var n int64
	for _, v := range t.Up {
		n += v
	}
	return n
}

// Counter wraps a Dialer: it counts every frame, byte and transmission of
// the connections it opens, and can drop the live one.
type Counter struct {
	dial relayclient.Dialer

	bytesUp, bytesDown, framesUp, framesDown atomic.Int64
	up, down                                 [32]atomic.Int64

	mu   sync.Mutex
	live relayclient.Conn
}

// NewCounter counts the connections of dial.
func NewCounter(dial relayclient.Dialer) *Counter { return &Counter{dial: dial} }

// Dial is the counting Dialer.
func (k *Counter) Dial(ctx context.Context, url string) (relayclient.Conn, error) {
	c, err := k.dial(ctx, url)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.live = c
	k.mu.Unlock()
	return &countingConn{Conn: c, k: k}, nil
}

// Drop closes the live connection (the client reconnects by itself).
func (k *Counter) Drop() {
	k.mu.Lock()
	c := k.live
	k.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Snapshot returns the counts so far.
func (k *Counter) Snapshot() Traffic {
	t := Traffic{BytesUp: k.bytesUp.Load(), BytesDown: k.bytesDown.Load(),
		FramesUp: k.framesUp.Load(), FramesDown: k.framesDown.Load()}
	for i := range t.Up {
		t.Up[i], t.Down[i] = k.up[i].Load(), k.down[i].Load()
	}
	return t
}

// count adds one frame's transmissions to by (batch frames only; hellos
// count as frames and bytes).
func count(f []byte, by *[32]atomic.Int64) {
	body, err := wire.BatchBody(f)
	if err != nil {
		return
	}
	for len(body) > 0 {
		raw, rest, err := wire.NextRaw(body)
		if err != nil {
			return
		}
		by[raw[0]&0x1f].Add(1)
		body = rest
	}
}

type countingConn struct {
	relayclient.Conn
	k *Counter
}

func (c *countingConn) Read(ctx context.Context) ([]byte, error) {
	f, err := c.Conn.Read(ctx)
	if err == nil {
		c.k.bytesDown.Add(int64(len(f)))
		c.k.framesDown.Add(1)
		count(f, &c.k.down)
	}
	return f, err
}

func (c *countingConn) Write(ctx context.Context, f []byte) error {
	err := c.Conn.Write(ctx, f)
	if err == nil {
		c.k.bytesUp.Add(int64(len(f)))
		c.k.framesUp.Add(1)
		count(f, &c.k.up)
	}
	return err
}
