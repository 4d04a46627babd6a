package relay

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/relay/limit"
)

// Listener wraps ln with the relay's connection limits: at most MaxConns
// open connections in all, and (unless a trusted proxy's header names the
// client: then every peer is the proxy) MaxConnsPerAddr per remote
// address. A connection over a limit is accepted and closed at once, so
// it neither waits in the kernel's backlog nor holds a descriptor; the
// client sees the connection reset and backs off. This also covers
// connections that never complete their request headers, which the HTTP
// handler never sees.
func (s *Server) Listener(ln net.Listener) net.Listener {
	l := &limitListener{Listener: ln, s: s, byPeer: map[addrKey]int{}}
	l.perPeer = s.lim.ClientIPHeader == "" && on(s.lim.MaxConnsPerAddr)
	return l
}

type limitListener struct {
	net.Listener
	s       *Server
	perPeer bool
	open    atomic.Int64
	mu      sync.Mutex
	byPeer  map[addrKey]int
}

// Accept returns the next connection within the limits.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if lc := l.admit(c); lc != nil {
			return lc, nil
		}
		c.Close()
	}
}

// admit counts c, or returns nil when it is over a limit.
func (l *limitListener) admit(c net.Conn) net.Conn {
	lim := &l.s.lim
	if n := l.open.Add(1); on(lim.MaxConns) && n > int64(lim.MaxConns) {
		l.open.Add(-1)
		l.s.refused.conns.Add(1)
		return nil
	}
	lc := &limitConn{Conn: c, l: l}
	if k, ok := limit.PeerKey(c.RemoteAddr().String()); ok && l.perPeer {
		l.mu.Lock()
		if l.byPeer[k] >= lim.MaxConnsPerAddr {
			l.mu.Unlock()
			l.open.Add(-1)
			l.s.refused.addrConns.Add(1)
			return nil
		}
		l.byPeer[k]++
		l.mu.Unlock()
		lc.peer, lc.counted = k, true
	}
	return lc
}

func (l *limitListener) release(c *limitConn) {
	l.open.Add(-1)
	if !c.counted {
		return
	}
	l.mu.Lock()
	if l.byPeer[c.peer]--; l.byPeer[c.peer] <= 0 {
		delete(l.byPeer, c.peer)
	}
	l.mu.Unlock()
}

// limitConn gives its slot back when closed (once).
type limitConn struct {
	net.Conn
	l       *limitListener
	peer    addrKey
	counted bool
	once    sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c) })
	return err
}

// refusals counts what the limits refused, for the periodic log line
// (counts only: addresses are never logged).
type refusals struct {
	conns, addrConns, rate, subs, quota atomic.Int64
}

// logRefusals logs what was refused since the last call, if anything.
func (s *Server) logRefusals(every time.Duration) {
	r := &s.refused
	c, a, n, sb, q := r.conns.Swap(0), r.addrConns.Swap(0), r.rate.Swap(0), r.subs.Swap(0), r.quota.Swap(0)
	if c+a+n+sb+q > 0 {
		s.log.Warn("limits refused", "period", every, "connections_over_max_conns", c,
			"connections_over_per_address", a, "new_over_rate", n, "subs_over_limit", sb, "writes_over_store_watermark", q)
	}
}
