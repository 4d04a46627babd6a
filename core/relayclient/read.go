package relayclient

import (
	"encoding/binary"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

func (s *session) readLoop() {
	for {
		f, err := s.conn.Read(s.c.ctx)
		if err != nil {
			s.close(err)
			return
		}
		s.mu.Lock()
		s.lastRead = time.Now()
		s.mu.Unlock()
		s.handleFrame(f)
	}
}

// handleFrame routes every transmission of one server frame; malformed
// parts are logged and skipped.
func (s *session) handleFrame(f []byte) {
	body, err := wire.BatchBody(f)
	if err != nil {
		s.c.opts.Logf("relayclient: bad frame from %s: %v", s.c.url, err)
		return
	}
	for len(body) > 0 {
		raw, rest, err := wire.NextRaw(body)
		if err != nil {
			s.c.opts.Logf("relayclient: bad frame from %s: %v", s.c.url, err)
			return
		}
		body = rest
		t, err := wire.Decode(raw)
		if err != nil {
			s.c.opts.Logf("relayclient: bad transmission from %s: %v", s.c.url, err)
			continue
		}
		s.handle(&t)
	}
}

// handle routes one server transmission: a response to its call (by
// correlation id, or by entity id for SUBs), or an event.
func (s *session) handle(t *wire.Transmission) {
	if len(t.CorrID) == 4 {
		id := binary.BigEndian.Uint32(t.CorrID)
		s.mu.Lock()
		cl := s.calls[id]
		delete(s.calls, id)
		s.mu.Unlock()
		if cl != nil {
			cl.complete(t, nil)
		}
		return
	}
	switch t.Code {
	case wire.MSG:
		s.c.onMsg(s, t)
	case wire.END:
		s.c.forget(t.EntityID)
		s.c.push(End{RecipientID: clone(t.EntityID)})
	case wire.DELD:
		s.c.forget(t.EntityID)
		s.c.push(QueueDeleted{RecipientID: clone(t.EntityID)})
	case wire.OK, wire.ERR:
		if t.EntityID == nil {
			s.c.opts.Logf("relayclient: %s: ERR %v", s.c.url, t.Err)
			return
		}
		s.mu.Lock()
		cls := s.subCalls[string(t.EntityID)]
		var cl *call
		if len(cls) > 0 {
			cl = cls[0]
			if len(cls) == 1 {
				delete(s.subCalls, string(t.EntityID))
			} else {
				s.subCalls[string(t.EntityID)] = cls[1:]
			}
		}
		s.mu.Unlock()
		if cl != nil {
			cl.complete(t, nil)
		}
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// onMsg opens a pushed MSG and emits it.
func (c *Client) onMsg(s *session, t *wire.Transmission) {
	q, ok := c.remembered(t.EntityID)
	if !ok {
		return
	}
	k, err := c.queueKeys(q)
	if err != nil {
		return
	}
	m, err := openMsg(k, t)
	if err != nil {
		c.opts.Logf("relayclient: %v", err)
		return
	}
	if !c.push(*m) { // more MSGs than queues: the relay ignores flow control
		s.close(ErrProtocol)
	}
}

func openMsg(k *keys, t *wire.Transmission) (*Message, error) {
	body, ok := wire.OpenMsg(nil, t.Body, t.MsgID, k.box)
	if !ok {
		return nil, ErrProtocol
	}
	return &Message{RecipientID: clone(t.EntityID), MsgID: clone(t.MsgID),
		Timestamp: time.UnixMilli(t.Timestamp), Body: body}, nil
}
