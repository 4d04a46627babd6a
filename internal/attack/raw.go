package attack

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"sync"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/relay/wire"
)

// Session is a hand-driven WebSocket session (after the hellos) that
// pipelines frames and counts the relay's answers.
type Session struct {
	c     *websocket.Conn
	Hello wire.ServerHello

	mu      sync.Mutex
	codes   map[string]int // "IDS", "OK", "RATE", "QUOTA", ...
	senders [][]byte       // sender ids of the queues it created
	answers int
	more    chan struct{} // a signal per batch of answers
	done    chan struct{} // the read loop ended
	err     error
}

// Open dials url from the address from and exchanges hellos.
func Open(ctx context.Context, url string, from netip.Addr) (*Session, error) {
	c, err := DialWS(ctx, url, from)
	if err != nil {
		return nil, err
	}
	_, f, err := c.Read(ctx)
	if err != nil {
		c.CloseNow()
		return nil, err
	}
	h, err := wire.ParseServerHello(f)
	if err == nil {
		err = c.Write(ctx, websocket.MessageBinary, wire.AppendClientHello(nil, wire.MinVersion))
	}
	if err != nil {
		c.CloseNow()
		return nil, err
	}
	s := &Session{c: c, Hello: h, codes: map[string]int{}, more: make(chan struct{}, 1), done: make(chan struct{})}
	go s.read()
	return s, nil
}

func (s *Session) read() {
	defer close(s.done)
	for {
		_, f, err := s.c.Read(context.Background())
		if err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
		body, err := wire.BatchBody(f)
		if err != nil {
			continue
		}
		raws, _ := wire.SplitBatch(body)
		s.mu.Lock()
		for _, r := range raws {
			t, err := wire.Decode(r)
			switch {
			case err != nil:
				s.codes["undecodable"]++
			case t.Code == wire.ERR:
				s.codes[t.Err.String()]++
			case t.Code == wire.IDS:
				s.senders = append(s.senders, t.SenderID)
				fallthrough
			default:
				s.codes[t.Code.String()]++
			}
			if t.Code != wire.MSG && t.Code != wire.END && t.Code != wire.DELD {
				s.answers++
			}
		}
		s.mu.Unlock()
		select {
		case s.more <- struct{}{}:
		default:
		}
	}
}

// Write sends one frame.
func (s *Session) Write(ctx context.Context, frame []byte) error {
	return s.c.Write(ctx, websocket.MessageBinary, frame)
}

// WaitAnswers waits until n answers (responses, not events) came, the
// session ended or ctx ended.
func (s *Session) WaitAnswers(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, err := s.answers, s.err
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case <-s.more:
		case <-s.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Codes returns a copy of the answers counted by code name.
func (s *Session) Codes() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.codes))
	for k, v := range s.codes {
		m[k] = v
	}
	return m
}

// Senders returns the sender ids of the queues the session created.
func (s *Session) Senders() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.senders...)
}

// Closed reports whether the relay closed the session.
func (s *Session) Closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Close closes the socket.
func (s *Session) Close() { s.c.CloseNow() }

// batcher packs transmissions into frames of at most wire.MaxFrame.
type batcher struct {
	frame []byte
	out   func([]byte) error
}

func (b *batcher) add(t *wire.Transmission, sign wire.Signer) error {
	if b.frame == nil {
		b.frame = wire.AppendBatchHeader(make([]byte, 0, wire.MaxFrame))
	}
	if len(b.frame)+t.EncodedLen()+wire.TagLen+8 > wire.MaxFrame {
		if err := b.flush(); err != nil {
			return err
		}
		b.frame = wire.AppendBatchHeader(make([]byte, 0, wire.MaxFrame))
	}
	b.frame = wire.AppendTransmission(b.frame, t, sign)
	return nil
}

func (b *batcher) flush() error {
	if len(b.frame) <= 1 {
		return nil
	}
	f := b.frame
	b.frame = nil
	return b.out(f)
}

// corr returns a 4-byte correlation id for n.
func corr(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

var errNoQueues = errors.New("attack: no queues to fill")
