package wire

import (
	"encoding/binary"
)

// Protocol constants.
const (
	MaxFrame     = 65536 // largest frame (one WebSocket binary message or HTTP body)
	MinVersion   = 1
	MaxVersion   = 1
	SessionIDLen = 32
	KeyLen       = 32 // X25519 public and private keys
	IDLen        = 24 // recipient, sender and message ids
	TagLen       = 16 // truncated HMAC-SHA256 authenticator
	MaxCorrID    = 24 // longest correlation id
)

// Frame types (the first byte of every frame).
const (
	FrameServerHello byte = 0x01 // server → client, first frame of a WebSocket session
	FrameClientHello byte = 0x02 // client → server, first frame after the server hello
	FrameBatch       byte = 0x03 // transmissions (both directions)
	FrameHTTPBatch   byte = 0x04 // HTTP POST body: version, session id, transmissions
)

// ServerHello opens every WebSocket session (and answers a plain HTTP GET).
type ServerHello struct {
	MinVersion, MaxVersion uint16
	SessionID              [SessionIDLen]byte
	AuthKey                [KeyLen]byte // relay's long-term X25519 public key
}

const serverHelloLen = 1 + 2 + 2 + SessionIDLen + KeyLen

// Append encodes h after b.
func (h *ServerHello) Append(b []byte) []byte {
	b = append(b, FrameServerHello)
	b = binary.BigEndian.AppendUint16(b, h.MinVersion)
	b = binary.BigEndian.AppendUint16(b, h.MaxVersion)
	b = append(b, h.SessionID[:]...)
	return append(b, h.AuthKey[:]...)
}

// ParseServerHello decodes a server hello frame.
func ParseServerHello(f []byte) (ServerHello, error) {
	var h ServerHello
	if len(f) != serverHelloLen || f[0] != FrameServerHello {
		return h, syntaxf("bad server hello")
	}
	h.MinVersion = binary.BigEndian.Uint16(f[1:])
	h.MaxVersion = binary.BigEndian.Uint16(f[3:])
	if h.MinVersion == 0 || h.MinVersion > h.MaxVersion {
		return h, syntaxf("bad version range")
	}
	copy(h.SessionID[:], f[5:])
	copy(h.AuthKey[:], f[5+SessionIDLen:])
	return h, nil
}

// AppendClientHello encodes the client's chosen version.
func AppendClientHello(b []byte, version uint16) []byte {
	b = append(b, FrameClientHello)
	return binary.BigEndian.AppendUint16(b, version)
}

// ParseClientHello decodes a client hello frame.
func ParseClientHello(f []byte) (uint16, error) {
	if len(f) != 3 || f[0] != FrameClientHello {
		return 0, syntaxf("bad client hello")
	}
	v := binary.BigEndian.Uint16(f[1:])
	if v == 0 {
		return 0, syntaxf("version 0")
	}
	return v, nil
}

// AppendHTTPHeader starts an HTTP POST body: frame type, version, session id.
// Transmissions follow (AppendTransmission).
func AppendHTTPHeader(b []byte, version uint16, sessionID []byte) []byte {
	b = append(b, FrameHTTPBatch)
	b = binary.BigEndian.AppendUint16(b, version)
	return append(b, sessionID...)
}

// ParseHTTPHeader splits an HTTP POST body into its version, session id and
// the transmissions that follow.
func ParseHTTPHeader(f []byte) (version uint16, sessionID, rest []byte, err error) {
	if len(f) < 3+SessionIDLen || f[0] != FrameHTTPBatch {
		return 0, nil, nil, syntaxf("bad HTTP batch header")
	}
	if len(f) > MaxFrame {
		return 0, nil, nil, syntaxf("frame too large")
	}
	return binary.BigEndian.Uint16(f[1:]), f[3 : 3+SessionIDLen], f[3+SessionIDLen:], nil
}

// BatchBody checks that f is a batch frame and returns its transmissions.
// The size limit is the transport's to enforce (a WebSocket message is at
// most MaxFrame; an HTTP response may be larger).
func BatchBody(f []byte) ([]byte, error) {
	if len(f) < 1 || f[0] != FrameBatch {
		return nil, syntaxf("not a batch frame")
	}
	return f[1:], nil
}

// NextRaw splits the first length-prefixed transmission off body. The
// returned raw transmission is a slice of body.
func NextRaw(body []byte) (raw, rest []byte, err error) {
	n, k := binary.Uvarint(body)
	if k <= 0 || k != uvarintLen(n) || n == 0 || n > uint64(len(body)-k) {
		return nil, nil, syntaxf("bad transmission length")
	}
	return body[k : k+int(n)], body[k+int(n):], nil
}

// SplitBatch returns every raw transmission of a batch body. On a framing
// error it returns the transmissions before it and the error.
func SplitBatch(body []byte) ([][]byte, error) {
	var out [][]byte
	for len(body) > 0 {
		raw, rest, err := NextRaw(body)
		if err != nil {
			return out, err
		}
		out = append(out, raw)
		body = rest
	}
	return out, nil
}

// AppendBatchHeader starts a batch frame; transmissions follow.
func AppendBatchHeader(b []byte) []byte { return append(b, FrameBatch) }
