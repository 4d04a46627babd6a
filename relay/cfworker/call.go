package cfworker

import (
	"encoding/binary"

	"github.com/sxweb/sxweb/relay/wire"
)

// The bodies of the requests between the Worker's parts (never seen by
// clients):
//   queue command: version 1, flags (1 = push session), session id (32),
//     route (16), one raw transmission;
//   its answer: the caller's transmissions, each a u32 length and its
//     encoding (which carries its own length prefix).

const callVersion = 1

// EncodeQueueReq encodes req as the body of a queue command.
func EncodeQueueReq(req QueueReq) []byte {
	b := make([]byte, 0, 2+wire.SessionIDLen+RouteLen+len(req.Raw))
	var flags byte
	if req.Push {
		flags = 1
	}
	b = append(b, callVersion, flags)
	b = append(b, req.Session[:]...)
	b = append(b, req.Route[:]...)
	return append(b, req.Raw...)
}

// DecodeQueueReq decodes the body of a queue command.
func DecodeQueueReq(b []byte) (QueueReq, error) {
	var req QueueReq
	const hdr = 2 + wire.SessionIDLen + RouteLen
	if len(b) <= hdr || b[0] != callVersion || b[1] > 1 {
		return req, ErrBadRequest
	}
	req.Push = b[1] == 1
	copy(req.Session[:], b[2:])
	copy(req.Route[:], b[2+wire.SessionIDLen:])
	req.Raw = b[hdr:]
	return req, nil
}

// EncodeList encodes a list of byte strings (transmissions or frames).
func EncodeList(ts [][]byte) []byte {
	n := 0
	for _, t := range ts {
		n += 4 + len(t)
	}
	b := make([]byte, 0, n)
	for _, t := range ts {
		b = binary.BigEndian.AppendUint32(b, uint32(len(t)))
		b = append(b, t...)
	}
	return b
}

// DecodeList decodes EncodeList's output.
func DecodeList(b []byte) ([][]byte, error) {
	var ts [][]byte
	for len(b) > 0 {
		if len(b) < 4 || uint64(len(b)-4) < uint64(binary.BigEndian.Uint32(b)) {
			return nil, ErrBadRequest
		}
		n := int(binary.BigEndian.Uint32(b))
		ts, b = append(ts, b[4:4+n:4+n]), b[4+n:]
	}
	return ts, nil
}
