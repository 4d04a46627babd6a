package envelope

import "encoding/binary"

// Sync message kinds (inside an InnerSync payload).
const (
	SyncKeys   = 'K' // request: the sender's fresh key-agreement keys
	SyncAnswer = 'A' // answer: the joiner's hello for one request
)

// SyncVersion is the version of the sync message format.
const SyncVersion = 1

// MaxSyncField bounds the keys and the hello a sync message carries (they
// are 1249 and 1185 bytes today).
const MaxSyncField = 4096

// Sync is a ratchet re-synchronization message: it travels in the
// per-queue box only (InnerSync), never in the ratchet it replaces. A
// request carries fresh key-agreement keys (ratchet.InvitationKeys); the
// answer carries the hash of the request it answers and the joiner's hello
// (ratchet.JoinerHello). Sent is how many application messages the sender
// sealed under the ratchet the exchange ends: the receiver counts what it
// never got of them.
type Sync struct {
	Kind    byte
	Sent    uint64
	Keys    []byte        // SyncKeys
	ReqHash [HashLen]byte // SyncAnswer: Hash of the request's encoding
	Hello   []byte        // SyncAnswer
}

// Encode writes the sync message:
//
//	version:u8 ‖ kind:u8 ‖ sent:u64 ‖ ( 'K': keysLen:u16 ‖ keys
//	                                  | 'A': reqHash[32] ‖ helloLen:u16 ‖ hello )
func (s *Sync) Encode() ([]byte, error) {
	out := []byte{SyncVersion, s.Kind}
	out = binary.BigEndian.AppendUint64(out, s.Sent)
	switch s.Kind {
	case SyncKeys:
		if len(s.Keys) == 0 || len(s.Keys) > MaxSyncField {
			return nil, bad("sync keys length")
		}
		out = putU16(out, len(s.Keys))
		return append(out, s.Keys...), nil
	case SyncAnswer:
		if len(s.Hello) == 0 || len(s.Hello) > MaxSyncField {
			return nil, bad("sync hello length")
		}
		out = append(out, s.ReqHash[:]...)
		out = putU16(out, len(s.Hello))
		return append(out, s.Hello...), nil
	}
	return nil, bad("unknown sync kind %d", s.Kind)
}

// DecodeSync parses a sync message; every byte must belong to it.
func DecodeSync(b []byte) (*Sync, error) {
	r := reader{b: b}
	if v := r.byte(); r.err == nil && v != SyncVersion {
		return nil, bad("unsupported sync version %d", v)
	}
	s := &Sync{Kind: r.byte(), Sent: r.uint64()}
	var field *[]byte
	switch s.Kind {
	case SyncKeys:
		field = &s.Keys
	case SyncAnswer:
		copy(s.ReqHash[:], r.bytes(HashLen))
		field = &s.Hello
	default:
		if r.err == nil {
			return nil, bad("unknown sync kind %d", s.Kind)
		}
		return nil, r.err
	}
	n := r.uint16()
	if r.err == nil && (n == 0 || n > MaxSyncField) {
		return nil, bad("sync field length %d", n)
	}
	*field = r.bytes(n)
	if r.err == nil && len(r.b) != 0 {
		return nil, bad("%d bytes after the sync message", len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return s, nil
}
