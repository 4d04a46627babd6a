package files

import (
	"crypto/rand"
	"encoding/binary"
	"errors"

	"golang.org/x/crypto/nacl/secretbox"
)

// SegmentSize is the plaintext of one sealed segment; each costs Overhead.
const (
	SegmentSize = 64 << 10
	Overhead    = secretbox.Overhead
	KeySize     = 32
	NonceSize   = 16 // the prefix; a segment's nonce adds its number and the last flag
)

// ErrDecrypt: a segment did not open (tampered, reordered, truncated, wrong key).
var ErrDecrypt = errors.New("files: a segment does not open")

// Keys are a file's key and nonce prefix.
type Keys struct {
	Key   [KeySize]byte
	Nonce [NonceSize]byte
}

// NewKeys draws a file's keys.
func NewKeys() (Keys, error) {
	var k Keys
	if _, err := rand.Read(k.Key[:]); err != nil {
		return k, err
	}
	_, err := rand.Read(k.Nonce[:])
	return k, err
}

// EncryptedSize is the size of a file of size bytes once encrypted.
func EncryptedSize(size int64) int64 {
	n := size / SegmentSize
	if size%SegmentSize != 0 || size == 0 {
		n++
	}
	return size + n*Overhead
}

// nonce is the nonce of segment i (last: the final segment).
func (k *Keys) nonce(i uint64, last bool) *[24]byte {
	var n [24]byte
	copy(n[:], k.Nonce[:])
	var ctr [8]byte
	binary.BigEndian.PutUint64(ctr[:], i)
	copy(n[16:23], ctr[1:]) // 7 bytes of counter
	if last {
		n[23] = 1
	}
	return &n
}

// SealSegment seals segment i of a file (at most SegmentSize bytes; only
// the last may be shorter, and only the last is sealed with last).
func (k *Keys) SealSegment(dst, plain []byte, i uint64, last bool) []byte {
	return secretbox.Seal(dst, plain, k.nonce(i, last), &k.Key)
}

// OpenSegment opens sealed segment i.
func (k *Keys) OpenSegment(dst, sealed []byte, i uint64, last bool) ([]byte, error) {
	out, ok := secretbox.Open(dst, sealed, k.nonce(i, last), &k.Key)
	if !ok {
		return nil, ErrDecrypt
	}
	return out, nil
}
