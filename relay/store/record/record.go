package record

import "bytes"

// Queue is one queue's record. Byte slices are owned by the caller after a
// read (implementations return copies).
type Queue struct {
	RecipientID  []byte // 24 bytes
	SenderID     []byte // 24 bytes
	RecipientKey []byte // recipient's X25519 auth public key
	RecipientMAC []byte // authenticator key derived from it and the relay's auth key
	SenderKey    []byte // sender's X25519 auth public key; nil until SKEY
	SenderMAC    []byte
	BoxKey       []byte // precomputed NaCl box key for re-encrypting deliveries
	Suspended    bool   // OFF: no more sends accepted
	// Active is the day (relay/rules.Day: days since the Unix epoch, UTC)
	// the queue was last created, subscribed, read or sent to; 0 when
	// unknown (a record from before the field). Queues idle for the
	// relay's queue expiry are deleted.
	Active uint32
}

// Secured reports whether the sender has installed its key.
func (q *Queue) Secured() bool { return len(q.SenderKey) > 0 }

// Message is one stored message: the sender's ciphertext as received.
type Message struct {
	ID        []byte // 24 random bytes
	Timestamp int64  // unix milliseconds when the relay accepted it
	Body      []byte
}

// AppendFields appends each field as a one-byte length and its bytes.
// Fields are at most 255 bytes (ids and keys).
func AppendFields(b []byte, fields ...[]byte) []byte {
	for _, f := range fields {
		b = append(b, byte(len(f)))
		b = append(b, f...)
	}
	return b
}

// ReadFields reads len(fields) fields written by AppendFields from p into
// copies (an empty field stays nil) and returns the bytes after them; ok is
// false when p ends inside a field.
func ReadFields(p []byte, fields ...*[]byte) (rest []byte, ok bool) {
	for _, f := range fields {
		if len(p) < 1 || len(p) < 1+int(p[0]) {
			return nil, false
		}
		if n := int(p[0]); n > 0 {
			*f = bytes.Clone(p[1 : 1+n])
		}
		p = p[1+int(p[0]):]
	}
	return p, true
}
