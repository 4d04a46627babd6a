package relayclient

import (
	"context"
	"encoding/binary"
	"sync"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// session is one connection: its hello, outgoing queue and pending calls.
type session struct {
	c        *Client
	conn     Conn
	id       []byte
	relayPub []byte
	resub    []RecipientQueue // remembered queues to re-subscribe (set by connect)

	mu       sync.Mutex
	out      []item
	calls    map[uint32]*call
	subCalls map[string][]*call // SUBs sent with an empty correlation id, by recipient id
	nextCorr uint32
	lastRead time.Time
	notify   chan struct{}
	done     chan struct{}
	err      error
	once     sync.Once
}

// item is one transmission waiting for the writer; mac nil = unsigned.
type item struct {
	t   wire.Transmission
	mac []byte
}

// call waits for one response.
type call struct {
	done chan struct{}
	resp wire.Transmission
	err  error
}

func newSession(c *Client, conn Conn, h wire.ServerHello) *session {
	return &session{c: c, conn: conn, id: h.SessionID[:], relayPub: h.AuthKey[:], calls: map[uint32]*call{},
		subCalls: map[string][]*call{}, notify: make(chan struct{}, 1), done: make(chan struct{}), lastRead: time.Now()}
}

func (s *session) close(err error) {
	s.once.Do(func() {
		s.err = err
		s.conn.Close()
		close(s.done)
	})
}

// enqueue queues t; when corr is true it gets a fresh correlation id and
// the returned call completes with the response. A SUB without corr waits
// by entity id.
func (s *session) enqueue(t wire.Transmission, mac []byte, corr bool) *call {
	cl := &call{done: make(chan struct{})}
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		cl.err = ErrNotConnected
		close(cl.done)
		return cl
	default:
	}
	if corr {
		s.nextCorr++
		t.CorrID = binary.BigEndian.AppendUint32(nil, s.nextCorr)
		s.calls[s.nextCorr] = cl
	} else {
		s.subCalls[string(t.EntityID)] = append(s.subCalls[string(t.EntityID)], cl)
	}
	s.out = append(s.out, item{t: t, mac: mac})
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return cl
}

// enqueueSubs queues SUBs (empty correlation ids) under one lock, so the
// writer packs them into as few frames as fit.
func (s *session) enqueueSubs(items []item) []*call {
	calls := make([]*call, len(items))
	s.mu.Lock()
	closed := false
	select {
	case <-s.done:
		closed = true
	default:
	}
	for i, it := range items {
		cl := &call{done: make(chan struct{})}
		calls[i] = cl
		if closed {
			cl.err = ErrNotConnected
			close(cl.done)
			continue
		}
		rid := string(it.t.EntityID)
		s.subCalls[rid] = append(s.subCalls[rid], cl)
	}
	if !closed {
		s.out = append(s.out, items...)
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return calls
}

// wait waits for cl; ctx ending abandons the call (the response is dropped).
func (cl *call) wait(ctx context.Context) (*wire.Transmission, error) {
	select {
	case <-cl.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if cl.err != nil {
		return nil, cl.err
	}
	if cl.resp.Code == wire.ERR {
		return &cl.resp, relayErr(cl.resp.Err)
	}
	return &cl.resp, nil
}

func (cl *call) complete(t *wire.Transmission, err error) {
	if t != nil {
		cl.resp = *t
	}
	cl.err = err
	close(cl.done)
}

// writeLoop packs everything queued into frames of at most wire.MaxFrame
// bytes: commands issued while the previous frame was being written go out
// together.
func (s *session) writeLoop() {
	var frame []byte
	for {
		select {
		case <-s.notify:
		case <-s.done:
			return
		}
		s.mu.Lock()
		items := s.out
		s.out = nil
		s.mu.Unlock()
		frame = wire.AppendBatchHeader(frame[:0])
		for i := range items {
			it := &items[i]
			if len(frame)+it.t.EncodedLen()+wire.TagLen > wire.MaxFrame && len(frame) > 1 {
				if !s.write(frame) {
					return
				}
				frame = wire.AppendBatchHeader(frame[:0])
			}
			var sign wire.Signer
			if it.mac != nil {
				sign = wire.SignerFor(it.mac, s.id)
			}
			frame = wire.AppendTransmission(frame, &it.t, sign)
		}
		if len(frame) > 1 && !s.write(frame) {
			return
		}
	}
}

func (s *session) write(frame []byte) bool {
	ctx, cancel := context.WithTimeout(s.c.ctx, s.c.opts.PingInterval+10*time.Second)
	defer cancel()
	if err := s.conn.Write(ctx, frame); err != nil {
		s.close(err)
		return false
	}
	return true
}

// failAll fails every call still waiting, after the session ended.
func (s *session) failAll() {
	s.mu.Lock()
	calls, subs := s.calls, s.subCalls
	s.calls, s.subCalls, s.out = map[uint32]*call{}, map[string][]*call{}, nil
	s.mu.Unlock()
	for _, cl := range calls {
		cl.complete(nil, ErrNotConnected)
	}
	for _, cls := range subs {
		for _, cl := range cls {
			cl.complete(nil, ErrNotConnected)
		}
	}
}

// pingLoop sends PING when nothing was read for PingInterval; a PING that
// gets no PONG within PingInterval drops the connection.
func (s *session) pingLoop() {
	iv := s.c.opts.PingInterval
	t := time.NewTicker(iv / 2)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.done:
			return
		}
		s.mu.Lock()
		idle := time.Since(s.lastRead)
		s.mu.Unlock()
		if idle < iv {
			continue
		}
		ctx, cancel := context.WithTimeout(s.c.ctx, iv)
		_, err := s.enqueue(wire.Transmission{Code: wire.PING}, nil, true).wait(ctx)
		cancel()
		if err != nil {
			s.close(err)
			return
		}
	}
}
