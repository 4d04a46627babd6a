package relay

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// addrKey identifies a client address for the per-address limits: an
// IPv4 address, or the /64 network of an IPv6 address (what one
// subscriber is usually given, so one client cannot take 2^64 keys).
type addrKey = netip.Addr

// keyOf returns the limit key of a.
func keyOf(a netip.Addr) addrKey {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a.WithZone("")
}

// peerKey returns the key of a connection's remote address (a
// net.Addr's String(): "ip:port" or "[ip%zone]:port"); ok is false when it
// is not an IP address (a Unix socket, a test pipe).
func peerKey(remote string) (addrKey, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		host, _, serr := net.SplitHostPort(remote)
		a, aerr := netip.ParseAddr(host)
		if serr != nil || aerr != nil {
			return addrKey{}, false
		}
		return keyOf(a), true
	}
	return keyOf(ap.Addr()), true
}

// forwardedAddr parses the value of a proxy's client address header: one
// address, optionally with a port ("1.2.3.4", "1.2.3.4:5", "::1",
// "[::1]:5"), or a comma-separated X-Forwarded-For list, whose last
// element is the one the trusted proxy appended (the earlier ones are the
// client's to write). ok is false when it holds no address.
func forwardedAddr(v string) (addrKey, bool) {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	v = strings.TrimSpace(v)
	if a, err := netip.ParseAddr(v); err == nil {
		return keyOf(a), true
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return keyOf(ap.Addr()), true
	}
	return addrKey{}, false
}

// clientKey returns the key of the client that sent r: from the trusted
// proxy's header when the relay is configured with one and it holds an
// address, else the TCP peer. ok is false when neither is an IP address.
func (s *Server) clientKey(r *http.Request) (addrKey, bool) {
	if h := s.lim.ClientIPHeader; h != "" {
		if vs := r.Header.Values(h); len(vs) > 0 {
			if k, ok := forwardedAddr(vs[len(vs)-1]); ok {
				return k, true
			}
		}
	} else if !s.proxyWarned.Load() {
		s.warnProxy(r)
	}
	return peerKey(r.RemoteAddr)
}

// proxyHeaders are set by reverse proxies; seeing one when the relay takes
// the TCP peer as the client means every client may share the proxy's
// address, and with it one address's limits.
var proxyHeaders = []string{"X-Forwarded-For", "X-Real-Ip", "Cf-Connecting-Ip", "Forwarded"}

func (s *Server) warnProxy(r *http.Request) {
	for _, h := range proxyHeaders {
		if r.Header.Get(h) != "" && !s.proxyWarned.Swap(true) {
			s.log.Warn("a request came through a proxy (it has "+h+"), but the relay limits clients by their TCP "+
				"address: behind a trusted reverse proxy, set -client-ip-header so that clients do not share the proxy's limits",
				"header", h)
			return
		}
	}
}
