package attack

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Slow is a set of HTTP POSTs whose bodies trickle in, a byte at a time.
type Slow struct{ trickler }

// trickler holds connections that each send a byte every so often, until
// the relay answers or closes them (slow POSTs, slow chunk uploads).
type trickler struct {
	Opened int          // connections the relay accepted (TCP)
	held   atomic.Int64 // of those, still open (the relay has not closed them)
	mu     sync.Mutex
	conns  []net.Conn
	stop   chan struct{}
}

// hold counts c as opened and held, and trickles a byte into it every
// every until the relay's answer or close ends the hold.
func (s *trickler) hold(c net.Conn, every time.Duration) {
	s.Opened++
	s.held.Add(1)
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	go func() {
		io.Copy(io.Discard, c)
		s.held.Add(-1)
	}()
	go s.trickle(c, every)
}

// SlowPosts opens n connections from the address from to addr
// (host:port), sends each a POST's headers announcing a 64 KiB body, and
// then one byte of it every every, for as long as the relay keeps the
// connection.
func SlowPosts(ctx context.Context, addr string, from netip.Addr, n int, every time.Duration) *Slow {
	s := &Slow{trickler{stop: make(chan struct{})}}
	d := dialer(from)
	for range n {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			continue // refused at the backlog: counts as not opened
		}
		if _, err := fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: relay\r\nContent-Type: application/octet-stream\r\nContent-Length: 65536\r\n\r\n"); err != nil {
			c.Close()
			continue
		}
		s.hold(c, every)
	}
	return s
}

func (s *trickler) trickle(c net.Conn, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if _, err := c.Write([]byte{0}); err != nil {
				return
			}
		case <-s.stop:
			return
		}
	}
}

// Held returns how many of the connections the relay still holds open.
func (s *trickler) Held() int { return int(s.held.Load()) }

// Close closes every connection.
func (s *trickler) Close() {
	close(s.stop)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}
