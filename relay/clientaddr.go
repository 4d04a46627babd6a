package relay

import (
	"net/http"

	"github.com/sxweb/sxweb/relay/limit"
)

// addrKey identifies a client address for the per-address limits
// (limit.Key: IPv4, or an IPv6 /64).
type addrKey = limit.Key

// clientKey returns the key of the client that sent r (limit.ClientKey:
// the trusted proxy's header when configured, else the TCP peer), and
// warns once when requests seem to come through a proxy the relay was not
// told about.
func (s *Server) clientKey(r *http.Request) (addrKey, bool) {
	if s.lim.ClientIPHeader == "" && !s.proxyWarned.Load() {
		s.warnProxy(r)
	}
	return limit.ClientKey(r, s.lim.ClientIPHeader)
}

func (s *Server) warnProxy(r *http.Request) {
	if h := limit.ProxyHeader(r); h != "" && !s.proxyWarned.Swap(true) {
		s.log.Warn("a request came through a proxy (it has "+h+"), but the relay limits clients by their TCP "+
			"address: behind a trusted reverse proxy, set -client-ip-header so that clients do not share the proxy's limits",
			"header", h)
	}
}
