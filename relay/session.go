package relay

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/sxweb/sxweb/relay/limit"
	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/wire"
)

// ErrSessionClosed is returned by NextFrame after Close (or when the
// session was dropped for not reading its output).
var ErrSessionClosed = errors.New("relay: session closed")

// Session is one client session: its id (bound into every authenticator),
// its subscriptions and its queue of outgoing transmissions.
type Session struct {
	srv       *Server
	id        [wire.SessionIDLen]byte
	pushAllow bool         // false for HTTP POST sessions: no SUB, no pushed events
	addr      *limit.Addr  // the client address's share of the limits
	newB      rules.Bucket // NEW allowance (WebSocket sessions; under mu)
	held      atomic.Int64 // subscriptions held or admitted (limits.go)

	mu       sync.Mutex
	out      [][]byte // encoded, length-prefixed transmissions waiting to be sent
	outBytes int
	events   int // pushed events in out (coalesce.go)
	closed   bool
	notify   chan struct{}
	subs     map[string]struct{} // recipient ids this session holds a subscription on
	deferred []string            // subscribed queues whose delivery waits for the outbox to drain
	drained  chan struct{}       // closed when out falls to readPause (waitOutput)

	busy       atomic.Int32        // runnable work: frames being split, transmissions on workers (coalesce.go)
	committing atomic.Int32        // transmissions in a store write (waiting for its commit)
	running    sync.WaitGroup      // transmissions being handled
	sem        chan struct{}       // bounds them (maxInflight)
	runMu      sync.Mutex          // guards chains
	chains     map[string][][]byte // entity id → transmissions waiting behind the running one
}

// newSession returns a session of a client at address a: a WebSocket one
// (push) or the one of a plain GET or POST.
func (s *Server) newSession(push bool, a *limit.Addr) *Session {
	return &Session{srv: s, pushAllow: push, addr: a, notify: make(chan struct{}, 1), subs: map[string]struct{}{},
		sem: make(chan struct{}, maxInflight), chains: map[string][][]byte{}}
}

// Hello returns the server hello frame of this session.
func (ss *Session) Hello() []byte {
	h := wire.ServerHello{MinVersion: wire.MinVersion, MaxVersion: wire.MaxVersion, SessionID: ss.id}
	copy(h.AuthKey[:], ss.srv.authPub)
	return h.Append(nil)
}

// send queues one transmission for the client.
func (ss *Session) send(t *wire.Transmission) {
	b := wire.AppendTransmission(make([]byte, 0, t.EncodedLen()), t, nil)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return
	}
	ss.out = append(ss.out, b)
	ss.outBytes += len(b)
	if isEvent(t) {
		ss.events++
	}
	if ss.outBytes > maxOutbox {
		ss.srv.log.Warn("dropping session that does not read", "queued", ss.outBytes)
		ss.closeLocked()
		return
	}
	select {
	case ss.notify <- struct{}{}:
	default:
	}
}

// NextFrame waits for queued output and returns it as one batch frame of at
// most wire.MaxFrame bytes. Output that becomes ready while the session's
// other transmissions are still running goes into the same frame (see
// linger); output with nothing else running is returned at once.
func (ss *Session) NextFrame(ctx context.Context) ([]byte, error) {
	for {
		ss.linger(ctx)
		f, closed := ss.takeFrame(wire.MaxFrame)
		if rids := ss.takeDeferred(); len(rids) > 0 {
			ss.srv.redeliver(ctx, ss, rids)
		}
		if f != nil || closed {
			if f == nil {
				return nil, ErrSessionClosed
			}
			return f, nil
		}
		select {
		case <-ss.notify:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// takeFrame packs queued transmissions into one frame of at most max bytes
// (max < 0: everything). It returns nil when nothing is queued.
func (ss *Session) takeFrame(max int) ([]byte, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.out) == 0 {
		return nil, ss.closed
	}
	f := wire.AppendBatchHeader(make([]byte, 0, min(ss.outBytes+1, wire.MaxFrame)))
	n := 0
	for n < len(ss.out) && (max < 0 || n == 0 || len(f)+len(ss.out[n]) <= max) {
		f = append(f, ss.out[n]...)
		ss.outBytes -= len(ss.out[n])
		n++
	}
	ss.out = ss.out[n:]
	ss.events = 0 // approximate after a partial take: only gates one yield
	if len(ss.out) == 0 {
		ss.out = nil
	}
	if ss.drained != nil && ss.outBytes <= readPause {
		close(ss.drained)
		ss.drained = nil
	}
	return f, false
}

// deferDelivery reports whether a MSG for rid must wait because the
// session's outbox is over pushLimit; if so rid is remembered and
// delivered once the outbox drained (see NextFrame).
func (ss *Session) deferDelivery(rid string) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.outBytes <= pushLimit && len(ss.deferred) == 0 {
		return false
	}
	ss.deferred = append(ss.deferred, rid)
	return true
}

// deferredAgain reports whether deliveries are being deferred again.
func (ss *Session) deferredAgain() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.deferred) > 0
}

// requeue puts rids back at the front of the deferred list.
func (ss *Session) requeue(rids []string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.deferred = append(append([]string(nil), rids...), ss.deferred...)
}

// takeDeferred returns the deferred queues once the outbox is below half
// of pushLimit.
func (ss *Session) takeDeferred() []string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.deferred) == 0 || ss.outBytes > pushLimit/2 || ss.closed {
		return nil
	}
	rids := ss.deferred
	ss.deferred = nil
	return rids
}

// Close ends the session and releases its subscriptions.
func (ss *Session) Close() {
	ss.mu.Lock()
	ss.closeLocked()
	subs := ss.subs
	ss.subs = map[string]struct{}{}
	ss.mu.Unlock()
	ss.released(len(subs))
	for rid := range subs {
		ss.srv.subs.unsubscribe(rid, ss)
	}
	ss.srv.subs.shrink()
	ss.srv.sessionClosed(len(subs))
}

func (ss *Session) closeLocked() {
	if !ss.closed {
		ss.closed = true
		select {
		case ss.notify <- struct{}{}:
		default:
		}
		if ss.drained != nil {
			close(ss.drained)
			ss.drained = nil
		}
	}
}

// waitOutput returns once the session's unsent output is at most
// readPause bytes (the transport reads the next frame only then), or an
// error when the session or ctx ended meanwhile.
func (ss *Session) waitOutput(ctx context.Context) error {
	for {
		ss.mu.Lock()
		if ss.closed {
			ss.mu.Unlock()
			return ErrSessionClosed
		}
		if ss.outBytes <= readPause {
			ss.mu.Unlock()
			return nil
		}
		if ss.drained == nil {
			ss.drained = make(chan struct{})
		}
		ch := ss.drained
		ss.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// addSub records a subscription admitted by admitSub (or held already).
func (ss *Session) addSub(rid string) {
	ss.mu.Lock()
	ss.subs[rid] = struct{}{}
	ss.mu.Unlock()
}

// dropSub forgets a subscription (END, DEL, expiry) and gives its place
// in the limits back.
func (ss *Session) dropSub(rid string) {
	ss.mu.Lock()
	_, ok := ss.subs[rid]
	delete(ss.subs, rid)
	ss.mu.Unlock()
	if ok {
		ss.released(1)
	}
}

func (ss *Session) holds(rid string) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	_, ok := ss.subs[rid]
	return ok
}
