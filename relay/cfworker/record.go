package cfworker

import (
	"encoding/binary"
	"fmt"

	"github.com/sxweb/sxweb/relay/store/record"
	"github.com/sxweb/sxweb/relay/wire"
)

// Storage keys of one queue's Durable Object.
const (
	keyQueue  = "q"  // the queue record (queueState)
	msgPrefix = "m/" // messages: "m/" + 16 hex digits of their sequence number
)

func msgKey(seq uint64) string { return fmt.Sprintf("%s%016x", msgPrefix, seq) }

// queueState is everything one queue's object keeps besides its messages.
type queueState struct {
	q       record.Queue // identity and keys (relay/store's Queue; relay/store itself builds bbolt)
	first   uint64       // sequence number of the oldest stored message
	next    uint64       // sequence number the next message gets
	full    bool         // quota was hit; cleared when the queue is empty
	sub     []byte       // session id of the subscriber; nil when none
	pending []byte       // id of the MSG delivered to sub and not yet acknowledged
}

func (s *queueState) count() uint64 { return s.next - s.first }

// State versions: 1 had no active day (read as 0, "unknown"); 2 has it.
const (
	stateVersion1 = 1
	stateVersion  = 2
)

// encode: version, flags (1 suspended, 2 full), first u64, next u64,
// active day u32, then each field as a one-byte length and its bytes.
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
	b = binary.BigEndian.AppendUint32(b, s.q.Active)
	return record.AppendFields(b, s.q.RecipientID, s.q.SenderID, s.q.RecipientKey, s.q.RecipientMAC,
		s.q.SenderKey, s.q.SenderMAC, s.q.BoxKey, s.sub, s.pending)
}

func decodeState(v []byte) (*queueState, error) {
	head := 18
	if len(v) > 0 && v[0] == stateVersion {
		head = 22
	}
	if len(v) < head || (v[0] != stateVersion && v[0] != stateVersion1) {
		return nil, ErrCorrupt
	}
	s := &queueState{}
	s.q.Suspended, s.full = v[1]&1 != 0, v[1]&2 != 0
	s.first = binary.BigEndian.Uint64(v[2:])
	s.next = binary.BigEndian.Uint64(v[10:])
	if head == 22 {
		s.q.Active = binary.BigEndian.Uint32(v[18:])
	}
	if _, ok := record.ReadFields(v[head:], &s.q.RecipientID, &s.q.SenderID, &s.q.RecipientKey, &s.q.RecipientMAC,
		&s.q.SenderKey, &s.q.SenderMAC, &s.q.BoxKey, &s.sub, &s.pending); !ok || s.first > s.next {
		return nil, ErrCorrupt
	}
	return s, nil
}

// A stored message: id (24) ‖ timestamp (8, unix ms) ‖ the sender's body.
func encodeMsg(m record.Message) []byte {
	b := make([]byte, 0, wire.IDLen+8+len(m.Body))
	b = append(b, m.ID...)
	b = binary.BigEndian.AppendUint64(b, uint64(m.Timestamp))
	return append(b, m.Body...)
}

func decodeMsg(v []byte) (record.Message, error) {
	if len(v) < wire.IDLen+8 {
		return record.Message{}, ErrCorrupt
	}
	return record.Message{ID: v[:wire.IDLen:wire.IDLen], Timestamp: int64(binary.BigEndian.Uint64(v[wire.IDLen:])),
		Body: v[wire.IDLen+8:]}, nil
}
