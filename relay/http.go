package relay

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/relay/limit"
	"github.com/sxweb/sxweb/relay/wire"
)

// httpTokenTTL is how long an HTTP session id (from a plain GET) is valid.
const httpTokenTTL = time.Hour

// ServeHTTP serves the relay on any path it is mounted under:
//   - GET with "Upgrade: websocket": a WebSocket session (binary frames);
//   - plain GET: a server hello frame whose session id is a signed token for POSTs;
//   - POST: one HTTP batch frame in, one batch frame out (no SUB, no pushes).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		http.Error(w, "relay: shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.sessions.Done()
	k, _ := s.clientKey(r) // not an IP address (a test pipe): all such share the zero key
	a := s.addrs.Enter(k, time.Now())
	if a == nil {
		s.refused.addrConns.Add(1)
		http.Error(w, "relay: too many connections from this address", http.StatusTooManyRequests)
		return
	}
	defer s.addrs.Leave(a)
	switch {
	case r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
		s.serveWS(w, r, a)
	case r.Method == http.MethodGet:
		ss := s.newSession(false, a)
		ss.id = s.newToken()
		writeFrame(w, ss.Hello())
	case r.Method == http.MethodPost:
		s.servePost(w, r, a)
	default:
		http.Error(w, "relay: GET or POST", http.StatusMethodNotAllowed)
	}
}

// HTTPServer returns an http.Server for h (the relay, or a mux it is
// mounted on) with the relay's deadlines (limit.HTTPServer: the whole
// request within RequestTimeout). A WebSocket is not bound by these once
// upgraded (the server clears a hijacked connection's deadlines); its own
// are HandshakeTimeout and IdleTimeout. The file relay (relay/files) on
// the same mux extends them per request. Serve it on Listener(ln).
func (s *Server) HTTPServer(h http.Handler) *http.Server {
	return limit.HTTPServer(h, s.lim.RequestTimeout)
}

func writeFrame(w http.ResponseWriter, f []byte) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f)
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request, a *limit.Addr) {
	// Any origin: nothing is authorized by cookies, every command by its own key.
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	c.SetReadLimit(wire.MaxFrame)
	ss := s.newSession(true, a)
	rand.Read(ss.id[:])
	ctx, cancel := context.WithCancel(context.Background())
	s.connMu.Lock()
	select {
	case <-s.stop: // Close already closed the sessions it knew of
		s.connMu.Unlock()
		cancel()
		c.CloseNow()
		return
	default:
	}
	s.conns[ss] = func() { c.CloseNow() }
	s.connMu.Unlock()
	defer func() {
		cancel()
		ss.Wait()
		ss.Close()
		c.CloseNow()
		s.connMu.Lock()
		delete(s.conns, ss)
		s.connMu.Unlock()
	}()
	if !s.handshake(ctx, c, ss) {
		return
	}
	go s.writeLoop(ctx, cancel, c, ss)
	for {
		if ss.waitOutput(ctx) != nil { // backpressure: the client does not read
			return
		}
		rctx, rcancel := context.WithTimeout(ctx, s.cfg.IdleTimeout)
		typ, f, err := c.Read(rctx)
		rcancel()
		if err != nil {
			return // closed, idle or too large (coder/websocket closes with 1009)
		}
		if typ != websocket.MessageBinary {
			ss.sendErr(nil, nil, wire.ErrCmdSyntax)
			continue
		}
		ss.HandleFrame(ctx, f)
	}
}

// handshake sends the server hello and reads the client hello, both
// within HandshakeTimeout: a socket that never says hello is closed soon.
func (s *Server) handshake(ctx context.Context, c *websocket.Conn, ss *Session) bool {
	hctx, hcancel := ctx, context.CancelFunc(func() {})
	if on(s.lim.HandshakeTimeout) {
		hctx, hcancel = context.WithTimeout(ctx, s.lim.HandshakeTimeout)
	}
	defer hcancel()
	if err := c.Write(hctx, websocket.MessageBinary, ss.Hello()); err != nil {
		return false
	}
	typ, f, err := c.Read(hctx)
	if err != nil {
		return false
	}
	if v, err := wire.ParseClientHello(f); err != nil || typ != websocket.MessageBinary || v < wire.MinVersion || v > wire.MaxVersion {
		c.Close(websocket.StatusProtocolError, "bad client hello")
		return false
	}
	return true
}

func (s *Server) writeLoop(ctx context.Context, cancel context.CancelFunc, c *websocket.Conn, ss *Session) {
	defer cancel()
	for {
		f, err := ss.NextFrame(ctx)
		if err != nil {
			if errors.Is(err, ErrSessionClosed) {
				c.Close(websocket.StatusPolicyViolation, "output not read")
			}
			return
		}
		wctx, wcancel := context.WithTimeout(ctx, s.cfg.IdleTimeout)
		err = c.Write(wctx, websocket.MessageBinary, f)
		wcancel()
		if err != nil {
			return
		}
	}
}

func (s *Server) servePost(w http.ResponseWriter, r *http.Request, a *limit.Addr) {
	if t := s.lim.RequestTimeout; on(t) {
		// Also when mounted on a server without ReadTimeout: a body that
		// trickles in does not hold its connection past the deadline.
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(t))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxFrame))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, "relay: body larger than one frame", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "relay: body not read in time", http.StatusRequestTimeout)
		return
	}
	ss := s.newSession(false, a)
	v, sid, rest, err := wire.ParseHTTPHeader(body)
	switch {
	case err != nil, v < wire.MinVersion, v > wire.MaxVersion:
		ss.sendErr(nil, nil, wire.ErrCmdSyntax)
	case !s.validToken(sid):
		ss.sendErr(nil, nil, wire.ErrAuth) // expired or forged session id: GET a new hello
	default:
		copy(ss.id[:], sid)
		ss.handleBody(r.Context(), rest)
		ss.Wait()
	}
	f, _ := ss.takeFrame(-1)
	if f == nil {
		f = wire.AppendBatchHeader(nil)
	}
	writeFrame(w, f)
}

// newToken returns an HTTP session id: expiry (8 bytes, unix seconds) ‖
// 8 random bytes ‖ HMAC-SHA256(tokenKey, the first 16)[:16].
func (s *Server) newToken() [wire.SessionIDLen]byte {
	var t [wire.SessionIDLen]byte
	binary.BigEndian.PutUint64(t[:], uint64(time.Now().Add(httpTokenTTL).Unix()))
	rand.Read(t[8:16])
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write(t[:16])
	copy(t[16:], m.Sum(nil))
	return t
}

func (s *Server) validToken(t []byte) bool {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write(t[:16])
	if !hmac.Equal(m.Sum(nil)[:16], t[16:]) {
		return false
	}
	return int64(binary.BigEndian.Uint64(t)) > time.Now().Unix()
}

// enter registers a request unless the server is closing.
func (s *Server) enter() bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	select {
	case <-s.stop:
		return false
	default:
		s.sessions.Add(1)
		return true
	}
}
