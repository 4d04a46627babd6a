package envelope

import "encoding/binary"

// reader consumes bytes; after the first short read every call returns
// zero values and err stays set.
type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = bad("truncated")
		return nil
	}
	out := append([]byte{}, r.b[:n]...)
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte {
	if b := r.bytes(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) uint16() int {
	if b := r.bytes(2); b != nil {
		return int(binary.BigEndian.Uint16(b))
	}
	return 0
}

func (r *reader) uint64() uint64 {
	if b := r.bytes(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = bad("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) rest() []byte { return r.bytes(len(r.b)) }

func putU16(b []byte, n int) []byte { return binary.BigEndian.AppendUint16(b, uint16(n)) }
