package attack

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/relay/wire"
)

// Idle is a set of WebSockets that say nothing.
type Idle struct {
	Accepted int // sockets that got the server hello
	open     atomic.Int64
	mu       sync.Mutex
	conns    []*websocket.Conn
}

// IdleSockets opens n WebSockets from the address from, reads the server
// hello, sends the client hello when hello is set, and then sends
// nothing.
func IdleSockets(ctx context.Context, url string, from netip.Addr, n int, hello bool) *Idle {
	s := &Idle{}
	for range n {
		c, err := DialWS(ctx, url, from)
		if err != nil {
			continue
		}
		if _, _, err := c.Read(ctx); err != nil {
			c.CloseNow()
			continue
		}
		if hello && c.Write(ctx, websocket.MessageBinary, wire.AppendClientHello(nil, wire.MinVersion)) != nil {
			c.CloseNow()
			continue
		}
		s.Accepted++
		s.open.Add(1)
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		go func() { // returns when the relay closes the socket
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					s.open.Add(-1)
					return
				}
			}
		}()
	}
	return s
}

// Open returns how many of the accepted sockets the relay still keeps.
func (s *Idle) Open() int { return int(s.open.Load()) }

// Close closes them all.
func (s *Idle) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.CloseNow()
	}
}
