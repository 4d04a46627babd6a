package limit

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Key identifies a client address for the per-address limits: an IPv4
// address, or the /64 network of an IPv6 address (what one subscriber is
// usually given, so one client cannot take 2^64 keys).
type Key = netip.Addr

// KeyOf returns the limit key of a.
func KeyOf(a netip.Addr) Key {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a.WithZone("")
}

// PeerKey returns the key of a connection's remote address (a net.Addr's
// String(): "ip:port" or "[ip%zone]:port"); ok is false when it is not an
// IP address (a Unix socket, a test pipe).
func PeerKey(remote string) (Key, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		host, _, serr := net.SplitHostPort(remote)
		a, aerr := netip.ParseAddr(host)
		if serr != nil || aerr != nil {
			return Key{}, false
		}
		return KeyOf(a), true
	}
	return KeyOf(ap.Addr()), true
}

// Forwarded parses the value of a proxy's client address header: one
// address, optionally with a port ("1.2.3.4", "1.2.3.4:5", "::1",
// "[::1]:5"), or a comma-separated X-Forwarded-For list, whose last
// element is the one the trusted proxy appended (the earlier ones are the
// client's to write). ok is false when it holds no address.
func Forwarded(v string) (Key, bool) {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	v = strings.TrimSpace(v)
	if a, err := netip.ParseAddr(v); err == nil {
		return KeyOf(a), true
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return KeyOf(ap.Addr()), true
	}
	return Key{}, false
}

// ClientKey returns the key of the client that sent r: from the trusted
// proxy's header (when header is set and it holds an address), else the
// TCP peer. ok is false when neither is an IP address.
func ClientKey(r *http.Request, header string) (Key, bool) {
	if header != "" {
		if vs := r.Header.Values(header); len(vs) > 0 {
			if k, ok := Forwarded(vs[len(vs)-1]); ok {
				return k, true
			}
		}
	}
	return PeerKey(r.RemoteAddr)
}

// proxyHeaders are set by reverse proxies; seeing one when a relay takes
// the TCP peer as the client means every client may share the proxy's
// address, and with it one address's limits.
var proxyHeaders = []string{"X-Forwarded-For", "X-Real-Ip", "Cf-Connecting-Ip", "Forwarded"}

// ProxyHeader returns the name of a reverse proxy's header that r
// carries, or "" (for a relay to warn, once, that it should be told
// which header to believe).
func ProxyHeader(r *http.Request) string {
	for _, h := range proxyHeaders {
		if r.Header.Get(h) != "" {
			return h
		}
	}
	return ""
}
