package envelope

import (
	"crypto/sha256"
	"encoding/binary"
	"net/url"
)

// Agent message kinds.
const (
	KindConfirmation = 'C' // joiner → inviter: reply queue + connInfo (message 1)
	KindInfo         = 'I' // inviter → joiner: connInfo (message 1)
	KindMessage      = 'M' // application message (the receiver sends a receipt)
	KindQuiet        = 'N' // application message without a receipt (large groups)
	KindReceipt      = 'R' // receipts only
)

// Limits of the agent message fields.
const (
	HashLen       = 32
	MaxRanges     = 1024
	SenderIDLen   = 24
	MaxServerLen  = 255
	AgentVersion  = 1
	agentHeadSize = 1 + 8 + HashLen + 1
)

// Range is an inclusive range of received message numbers (a receipt).
type Range struct{ From, To uint64 }

// QueueInfo is what a sender needs to use a queue: the joiner's reply
// queue in a confirmation.
type QueueInfo struct {
	Server   string
	SenderID []byte // 24 bytes
	E2EKey   []byte // recipient's X25519 public key, 32 bytes
}

// AgentMessage is the plaintext inside the double ratchet.
type AgentMessage struct {
	MsgNum   uint64
	PrevHash [HashLen]byte // hash of the previous agent message of this direction
	Kind     byte
	Receipts []Range
	Reply    *QueueInfo // KindConfirmation only
	Body     []byte     // connInfo or application body
}

// Hash is the hash of an encoded agent message (the next PrevHash).
func Hash(encoded []byte) [HashLen]byte { return sha256.Sum256(encoded) }

// Encode writes the agent message.
func (m *AgentMessage) Encode() ([]byte, error) {
	out := []byte{AgentVersion}
	out = binary.BigEndian.AppendUint64(out, m.MsgNum)
	out = append(out, m.PrevHash[:]...)
	out = append(out, m.Kind)
	if len(m.Receipts) > MaxRanges {
		return nil, bad("too many receipt ranges")
	}
	out = binary.AppendUvarint(out, uint64(len(m.Receipts)))
	for _, rg := range m.Receipts {
		if rg.To < rg.From {
			return nil, bad("receipt range reversed")
		}
		out = binary.AppendUvarint(out, rg.From)
		out = binary.AppendUvarint(out, rg.To-rg.From)
	}
	switch m.Kind {
	case KindConfirmation:
		if m.Reply == nil {
			return nil, bad("confirmation without reply queue")
		}
		q, err := m.Reply.encode()
		if err != nil {
			return nil, err
		}
		out = append(out, q...)
	case KindInfo, KindMessage, KindQuiet, KindReceipt:
	default:
		return nil, bad("unknown kind %d", m.Kind)
	}
	return append(out, m.Body...), nil
}

// DecodeAgentMessage parses a decrypted ratchet plaintext.
func DecodeAgentMessage(b []byte) (*AgentMessage, error) {
	r := reader{b: b}
	if v := r.byte(); r.err == nil && v != AgentVersion {
		return nil, bad("unsupported agent version %d", v)
	}
	m := &AgentMessage{MsgNum: r.uint64()}
	copy(m.PrevHash[:], r.bytes(HashLen))
	m.Kind = r.byte()
	n := r.minimalUvarint()
	if n > MaxRanges {
		return nil, bad("too many receipt ranges")
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		from, d := r.minimalUvarint(), r.minimalUvarint()
		if from+d < from {
			return nil, bad("receipt range overflow")
		}
		m.Receipts = append(m.Receipts, Range{From: from, To: from + d})
	}
	switch m.Kind {
	case KindConfirmation:
		m.Reply = decodeQueueInfo(&r)
	case KindInfo, KindMessage, KindQuiet, KindReceipt:
	default:
		if r.err == nil {
			return nil, bad("unknown kind %d", m.Kind)
		}
	}
	m.Body = r.rest()
	if r.err != nil {
		return nil, r.err
	}
	if m.Reply != nil {
		if err := m.Reply.validate(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (r *reader) minimalUvarint() uint64 {
	before := len(r.b)
	v := r.uvarint()
	if r.err == nil && before-len(r.b) != len(binary.AppendUvarint(nil, v)) {
		r.err = bad("non-minimal varint")
	}
	return v
}

func (q *QueueInfo) encode() ([]byte, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	out := []byte{byte(len(q.Server))}
	out = append(out, q.Server...)
	out = append(out, q.SenderID...)
	return append(out, q.E2EKey...), nil
}

func decodeQueueInfo(r *reader) *QueueInfo {
	q := &QueueInfo{Server: string(r.bytes(int(r.byte())))}
	q.SenderID = r.bytes(SenderIDLen)
	q.E2EKey = r.bytes(KeyLen)
	return q
}

func (q *QueueInfo) validate() error {
	if len(q.SenderID) != SenderIDLen || len(q.E2EKey) != KeyLen {
		return bad("queue info: id or key length")
	}
	if q.Server == "" || len(q.Server) > MaxServerLen {
		return bad("queue info: server length")
	}
	u, err := url.Parse(q.Server)
	if err != nil || u.Host == "" || u.String() != q.Server {
		return bad("queue info: bad server url")
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
		return nil
	}
	return bad("queue info: server scheme %q", u.Scheme)
}
