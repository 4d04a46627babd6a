package cfworker

import (
	"encoding/binary"
	"fmt"

	"github.com/sxweb/sxweb/relay/wire"
)

// Storage keys of one queue's Durable Object.
const (
	keyQueue  = "q"  // the queue record (queueState)
	msgPrefix = "m/" // messages: "m/" + 16 hex digits of their sequence number
)

func msgKey(seq uint64) string { return fmt.Sprintf("%s%016x", msgPrefix, seq) }

// queueRec is a queue's identity and keys (the fields of package
// relay/store's Queue; that package is not imported because bbolt does not
// build for js/wasm).
type queueRec struct {
	RecipientID  []byte // 24 bytes
	SenderID     []byte // 24 bytes
	RecipientKey []byte // recipient's X25519 auth public key
	RecipientMAC []byte // authenticator key derived from it and the relay's auth key
	SenderKey    []byte // sender's X25519 auth public key; nil until SKEY
	SenderMAC    []byte
	BoxKey       []byte // NaCl box key for re-encrypting deliveries
	Suspended    bool   // OFF: no more sends accepted
}

// Secured reports whether the sender has installed its key.
func (q *queueRec) Secured() bool { return len(q.SenderKey) > 0 }

// message is one stored message: the sender's ciphertext as received.
type message struct {
	ID        []byte // 24 random bytes
	Timestamp int64  // unix milliseconds when the relay accepted it
	Body      []byte
}

// queueState is everything one queue's object keeps besides its messages.
type queueState struct {
	q       queueRec
	first   uint64 // sequence number of the oldest stored message
	next    uint64 // sequence number the next message gets
	full    bool   // quota was hit; cleared when the queue is empty
	sub     []byte // session id of the subscriber; nil when none
	pending []byte // id of the MSG delivered to sub and not yet acknowledged
}

func (s *queueState) count() uint64 { return s.next - s.first }

const stateVersion = 1

// encode: version, flags (1 suspended, 2 full), first u64, next u64, then
// each field as a one-byte length and its bytes.
func (s *queueState) encode() []byte {
	b := make([]byte, 0, 320)
	var flags byte
	if s.q.Suspended {
		flags |= 1
	}
	if s.full {
		flags |= 2
	}
	b = append(b, stateVersion, flags)
	b = binary.BigEndian.AppendUint64(b, s.first)
	b = binary.BigEndian.AppendUint64(b, s.next)
	for _, f := range s.fields() {
		b = append(b, byte(len(*f)))
		b = append(b, *f...)
	}
	return b
}

func (s *queueState) fields() []*[]byte {
	return []*[]byte{&s.q.RecipientID, &s.q.SenderID, &s.q.RecipientKey, &s.q.RecipientMAC,
		&s.q.SenderKey, &s.q.SenderMAC, &s.q.BoxKey, &s.sub, &s.pending}
}

func decodeState(v []byte) (*queueState, error) {
	if len(v) < 18 || v[0] != stateVersion {
		return nil, ErrCorrupt
	}
	s := &queueState{}
	s.q.Suspended, s.full = v[1]&1 != 0, v[1]&2 != 0
	s.first = binary.BigEndian.Uint64(v[2:])
	s.next = binary.BigEndian.Uint64(v[10:])
	p := v[18:]
	for _, f := range s.fields() {
		if len(p) < 1 || len(p) < 1+int(p[0]) {
			return nil, ErrCorrupt
		}
		if n := int(p[0]); n > 0 {
			*f = append([]byte(nil), p[1:1+n]...)
		}
		p = p[1+int(p[0]):]
	}
	if s.first > s.next {
		return nil, ErrCorrupt
	}
	return s, nil
}

// A stored message: id (24) ‖ timestamp (8, unix ms) ‖ the sender's body.
func encodeMsg(m message) []byte {
	b := make([]byte, 0, wire.IDLen+8+len(m.Body))
	b = append(b, m.ID...)
	b = binary.BigEndian.AppendUint64(b, uint64(m.Timestamp))
	return append(b, m.Body...)
}

func decodeMsg(v []byte) (message, error) {
	if len(v) < wire.IDLen+8 {
		return message{}, ErrCorrupt
	}
	return message{ID: v[:wire.IDLen:wire.IDLen], Timestamp: int64(binary.BigEndian.Uint64(v[wire.IDLen:])),
		Body: v[wire.IDLen+8:]}, nil
}
