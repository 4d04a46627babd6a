package files

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
	"github.com/sxweb/sxweb/relay/limit"
)

// CORS: any origin may call the relay (nothing is authorized by cookies,
// every request by its own signature), and a preflight may be cached a
// day.
const (
	allowMethods = "GET, PUT, POST, DELETE"
	allowHeaders = "Authorization, X-Date, Content-Type"
)

// request is one request being served.
type request struct {
	w     http.ResponseWriter
	r     *http.Request
	s     *Server
	a     *limit.Addr
	up    *limit.Addr // its place among the address's uploads (PUT)
	route string
	id    []byte
	now   time.Time
}

// ServeHTTP serves the file relay's requests under Prefix
// (docs/file-protocol.md §1). Every answer carries
// Access-Control-Allow-Origin: *, errors are {"error": CODE}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", allowMethods)
		h.Set("Access-Control-Allow-Headers", allowHeaders)
		h.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	// The signature covers the path as sent; an escaped path is refused by
	// parsePath (ids never need escaping).
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), s.cfg.Prefix)
	if !ok {
		writeErr(w, filewire.ErrNotFound)
		return
	}
	route, id, err := parsePath(rest)
	if err != nil {
		writeErr(w, err.(*errParse).code)
		return
	}
	if s.lim.ClientIPHeader == "" && s.perAddr() && !s.proxyWarned.Load() {
		s.warnProxy(r)
	}
	k, _ := limit.ClientKey(r, s.lim.ClientIPHeader) // not an IP address (a test pipe): all such share the zero key
	a := s.addrs.Enter(k, time.Now())
	if a == nil {
		s.refused.conns.Add(1)
		writeErr(w, filewire.ErrLimit)
		return
	}
	defer s.addrs.Leave(a)
	q := &request{w: w, r: r, s: s, a: a, route: route, id: id, now: s.cfg.Now()}
	switch r.Method + " " + route {
	case "POST " + routeNew:
		q.create()
	case "POST " + routeAdd:
		q.add()
	case "PUT " + routeChunk:
		q.upload()
	case "GET " + routeChunk:
		q.download()
	case "DELETE " + routeRecipient:
		q.ack()
	case "DELETE " + routeChunk:
		q.remove()
	default:
		writeErr(w, filewire.ErrBadRequest)
	}
}

// perAddr reports whether any limit counts per client address (on the
// Worker none does: a proxy's header is expected there).
func (s *Server) perAddr() bool {
	l := &s.lim
	return on(l.MaxConnsPerAddr) || on(l.NewBurstPerAddr) || on(l.MaxHeldPerAddr) || on(l.MaxUploadsPerAddr)
}

func (s *Server) warnProxy(r *http.Request) {
	if h := limit.ProxyHeader(r); h != "" && !s.proxyWarned.Swap(true) {
		s.log.Warn("file relay: a request came through a proxy (it has "+h+"), but the relay limits clients by their TCP "+
			"address: behind a trusted reverse proxy, set -client-ip-header so that clients do not share the proxy's limits",
			"header", h)
	}
}

// deadline bounds the whole request, reading and writing, to
// RequestTimeout plus n bytes at MinRate: a client trickling a chunk in
// or out holds its connection that long at most, while a 4 MiB chunk on
// a slow link (32 KiB/s by default) still passes. It overrides the
// server's own deadlines in both directions (HTTPServer's are short).
func (q *request) deadline(n int64) {
	lim := &q.s.lim
	if !on(lim.RequestTimeout) {
		return
	}
	d := lim.RequestTimeout
	if on(lim.MinRate) {
		d += time.Duration(n) * time.Second / time.Duration(lim.MinRate)
	}
	rc := http.NewResponseController(q.w)
	at := time.Now().Add(d)
	_ = rc.SetReadDeadline(at) // not supported by every ResponseWriter (the Worker's): then its platform's limits hold
	_ = rc.SetWriteDeadline(at)
}

// readBody reads a body of at most maxJSON bytes (LARGE above).
func (q *request) readBody() ([]byte, bool) {
	if q.r.ContentLength > maxJSON {
		writeErr(q.w, filewire.ErrLarge)
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(q.w, q.r.Body, maxJSON))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeErr(q.w, filewire.ErrLarge)
		return nil, false
	case err != nil:
		writeErr(q.w, filewire.ErrBadRequest) // cut off, or not in time
		return nil, false
	}
	return b, true
}

// verify checks the request's signature by key over its body's digest.
// An unknown id verifies against a dummy key, so that AUTH costs the
// same whether or not the id exists.
func (q *request) verify(key []byte, digest [32]byte) bool {
	known := key != nil
	if !known {
		key = dummyKey
	}
	ok := filewire.VerifyDigest(key, q.r.Method, q.r.URL.EscapedPath(), q.r.Header.Get(filewire.HeaderDate),
		q.r.Header.Get(filewire.HeaderAuth), q.now, digest)
	return ok && known
}

// dummyKey is a valid public key nobody holds the private half of.
var dummyKey = func() ed25519.PublicKey {
	pub, _, _ := ed25519.GenerateKey(nil)
	return pub
}()

// writeErr answers {"error": code} with the code's status.
func writeErr(w http.ResponseWriter, code string) {
	b, _ := json.Marshal(filewire.ErrorBody{Error: code})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(filewire.Status(code))
	w.Write(b)
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
