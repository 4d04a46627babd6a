package wire

import (
	"encoding/binary"
	"fmt"
)

// Code is a command or response code (the low 5 bits of a transmission's
// header byte).
type Code byte

// Client commands.
const (
	NEW  Code = 1 // recipient auth pub, recipient DH pub → IDS
	SKEY Code = 2 // sender auth pub (entity = sender id)
	SEND Code = 3 // body (entity = sender id)
	SUB  Code = 4
	ACK  Code = 5 // message id
	GET  Code = 6
	OFF  Code = 7
	DEL  Code = 8
	PING Code = 9
)

// Server responses and events.
const (
	OK   Code = 16
	IDS  Code = 17 // recipient id, sender id, relay's per-queue DH pub
	MSG  Code = 18 // message id, timestamp, boxed body
	END  Code = 19
	DELD Code = 20
	PONG Code = 21
	ERR  Code = 22 // error code
)

var codeNames = map[Code]string{NEW: "NEW", SKEY: "SKEY", SEND: "SEND", SUB: "SUB", ACK: "ACK", GET: "GET",
	OFF: "OFF", DEL: "DEL", PING: "PING", OK: "OK", IDS: "IDS", MSG: "MSG", END: "END", DELD: "DELD",
	PONG: "PONG", ERR: "ERR"}

func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("CODE_%d", byte(c))
}

// IsClient reports whether c is a client command.
func (c Code) IsClient() bool { return c >= NEW && c <= PING }

// IsServer reports whether c is a server response or event.
func (c Code) IsServer() bool { return c >= OK && c <= ERR }

// Header byte flags.
const (
	hdrCode   = 0x1f
	hdrEntity = 0x20
	hdrCorr   = 0x40
	hdrAuth   = 0x80
)

// Transmission is one command or response. Byte slices alias the decoded
// input; the encoder does not keep them.
type Transmission struct {
	Auth     []byte // TagLen bytes, or nil (unauthenticated)
	CorrID   []byte // 0..MaxCorrID bytes
	EntityID []byte // IDLen bytes, or nil
	Code     Code

	// Parameters, by command:
	Key1, Key2                         []byte  // NEW: recipient auth pub, recipient DH pub; SKEY: sender auth pub
	MsgID                              []byte  // ACK, MSG
	Body                               []byte  // SEND: sender's ciphertext; MSG: boxed body
	RecipientID, SenderID, ServerDHKey []byte  // IDS
	Timestamp                          int64   // MSG: unix milliseconds
	Err                                ErrCode // ERR

	// Header and Signed are set by Decode: the header byte and the bytes
	// after the tag; the authenticator covers session id ‖ Header ‖ Signed.
	Header byte
	Signed []byte
}

// paramsLen is the encoded length of t's parameters.
func (t *Transmission) paramsLen() int {
	switch t.Code {
	case NEW:
		return 2 * KeyLen
	case SKEY:
		return KeyLen
	case SEND:
		return len(t.Body)
	case ACK:
		return IDLen
	case IDS:
		return 2*IDLen + KeyLen
	case MSG:
		return IDLen + 8 + len(t.Body)
	case ERR:
		return 1
	}
	return 0
}

// Len is the encoded length of t without its length prefix.
func (t *Transmission) Len() int {
	n := 1 + t.paramsLen()
	if t.Auth != nil {
		n += TagLen
	}
	if len(t.CorrID) > 0 {
		n += 1 + len(t.CorrID)
	}
	if t.EntityID != nil {
		n += IDLen
	}
	return n
}

// EncodedLen is the encoded length of t including its length prefix.
func (t *Transmission) EncodedLen() int {
	n := t.Len()
	return uvarintLen(uint64(n)) + n
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// Signer computes the authenticator of a transmission (see Tag).
type Signer func(header byte, signed []byte, tag []byte)

// AppendTransmission appends the length-prefixed encoding of t to b. If sign
// is non-nil the transmission is authenticated: a TagLen tag computed by
// sign over the header byte and the bytes after the tag. t.Auth is ignored
// (only its presence matters when sign is nil: then it is copied verbatim).
// Ids and keys must have their fixed lengths (the caller's contract).
func AppendTransmission(b []byte, t *Transmission, sign Signer) []byte {
	auth := t.Auth != nil || sign != nil
	n := 1 + t.paramsLen()
	if auth {
		n += TagLen
	}
	if len(t.CorrID) > 0 {
		n += 1 + len(t.CorrID)
	}
	if t.EntityID != nil {
		n += IDLen
	}
	b = binary.AppendUvarint(b, uint64(n))
	hdr := byte(t.Code) & hdrCode
	if auth {
		hdr |= hdrAuth
	}
	if len(t.CorrID) > 0 {
		hdr |= hdrCorr
	}
	if t.EntityID != nil {
		hdr |= hdrEntity
	}
	b = append(b, hdr)
	tagAt := len(b)
	if auth {
		if sign != nil {
			b = append(b, make([]byte, TagLen)...)
		} else {
			b = append(b, t.Auth...)
		}
	}
	start := len(b)
	if len(t.CorrID) > 0 {
		b = append(b, byte(len(t.CorrID)))
		b = append(b, t.CorrID...)
	}
	b = append(b, t.EntityID...)
	b = t.appendParams(b)
	if sign != nil {
		sign(hdr, b[start:], b[tagAt:tagAt+TagLen])
	}
	return b
}

func (t *Transmission) appendParams(b []byte) []byte {
	switch t.Code {
	case NEW:
		b = append(b, t.Key1...)
		b = append(b, t.Key2...)
	case SKEY:
		b = append(b, t.Key1...)
	case SEND:
		b = append(b, t.Body...)
	case ACK:
		b = append(b, t.MsgID...)
	case IDS:
		b = append(b, t.RecipientID...)
		b = append(b, t.SenderID...)
		b = append(b, t.ServerDHKey...)
	case MSG:
		b = append(b, t.MsgID...)
		b = binary.BigEndian.AppendUint64(b, uint64(t.Timestamp))
		b = append(b, t.Body...)
	case ERR:
		b = append(b, byte(t.Err))
	}
	return b
}
