package padding

import "encoding/binary"

// Overhead is the length prefix added to every message.
const Overhead = 2

// Buckets are the padded sizes, smallest first. The largest leaves room,
// within the relay's 16,384-byte limit (relayclient.MaxBody), for the
// ratchet's Overhead (85 bytes) and 427 bytes of agent envelope; see
// docs/crypto.md for the measurements behind the choice.
var Buckets = [...]int{256, 512, 1024, 2048, 4096, 8192, MaxPadded}

// MaxPadded is the largest bucket: 16,384 - 512, leaving 512 bytes of the
// relay's 16,384-byte limit (relayclient.MaxBody) for the layers outside
// the padding (the agent's box envelope is 42 bytes; see docs/crypto.md).
const MaxPadded = 15872

// MaxPayload is the longest message Pad accepts.
const MaxPayload = MaxPadded - Overhead

// Size returns the padded size of an n-byte message (the smallest bucket
// that fits it), or -1 if n > MaxPayload.
func Size(n int) int {
	for _, b := range Buckets {
		if n+Overhead <= b {
			return b
		}
	}
	return -1
}

// Pad returns msg padded to the smallest bucket that fits it.
func Pad(msg []byte) ([]byte, error) {
	size := Size(len(msg))
	if size < 0 {
		return nil, errorf(ErrTooLarge, "%d bytes, at most %d", len(msg), MaxPayload)
	}
	b := make([]byte, size)
	binary.BigEndian.PutUint16(b, uint16(len(msg)))
	copy(b[Overhead:], msg)
	return b, nil
}

// Unpad returns the message inside a padded buffer. It rejects sizes that
// are not a bucket, out-of-range lengths and non-zero fill. The result
// aliases b.
func Unpad(b []byte) ([]byte, error) {
	if !isBucket(len(b)) {
		return nil, errorf(ErrBadPadding, "%d bytes is not a bucket size", len(b))
	}
	n := int(binary.BigEndian.Uint16(b))
	if n > len(b)-Overhead {
		return nil, errorf(ErrBadPadding, "length %d in %d bytes", n, len(b))
	}
	for _, c := range b[Overhead+n:] {
		if c != 0 {
			return nil, errorf(ErrBadPadding, "non-zero fill")
		}
	}
	return b[Overhead : Overhead+n : Overhead+n], nil
}

func isBucket(n int) bool {
	for _, b := range Buckets {
		if n == b {
			return true
		}
	}
	return false
}
