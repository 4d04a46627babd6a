package atrest

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// A sealed value: version byte, 12-byte random nonce, AES-256-GCM
// ciphertext and 16-byte tag: Overhead bytes more than the plaintext.
const (
	sealVersion = 1
	nonceSize   = 12
	// Overhead is what sealing adds to a value or a file part.
	Overhead = 1 + nonceSize + 16
	keySize  = 32
)

// Additional data, each under its own label so that no value can pass
// for a file part or a wrapped key, or the other way round.
const (
	adValue   = "sxweb/atrest/value/v1\x00"
	adPart    = "sxweb/atrest/part/v1\x00"
	adDataKey = "sxweb/atrest/datakey/v1\x00"
)

func valueAD(bucket, key string) []byte {
	ad := make([]byte, 0, len(adValue)+binary.MaxVarintLen64+len(bucket)+len(key))
	ad = append(ad, adValue...)
	ad = binary.AppendUvarint(ad, uint64(len(bucket)))
	ad = append(ad, bucket...)
	return append(ad, key...)
}

func partAD(id string, n int) []byte {
	ad := append([]byte(adPart), binary.AppendUvarint(nil, uint64(len(id)))...)
	ad = append(ad, id...)
	return binary.BigEndian.AppendUint64(ad, uint64(n))
}

// sealer is AES-256-GCM under one key with random nonces. 96-bit random
// nonces are safe for 2^32 seals under one key (NIST SP 800-38D); a
// database writes far fewer values than that in its life.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("atrest: a key of %d bytes", len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(plain, ad []byte) []byte {
	out := make([]byte, 1+nonceSize, Overhead+len(plain))
	out[0] = sealVersion
	nonces.read(out[1:])
	return s.aead.Seal(out, out[1:], plain, ad)
}

func (s *sealer) open(sealed, ad []byte) ([]byte, error) {
	if len(sealed) < Overhead || sealed[0] != sealVersion {
		return nil, ErrCorrupt
	}
	out, err := s.aead.Open(make([]byte, 0, len(sealed)-Overhead), sealed[1:1+nonceSize], sealed[1+nonceSize:], ad)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}

// nonces hands out random bytes from a buffer: in the browser each read
// of crypto/rand is a call into JS, and a batch seals hundreds of values.
var nonces = &randBuf{r: bufio.NewReaderSize(rand.Reader, 4096)}

type randBuf struct {
	mu sync.Mutex
	r  *bufio.Reader
}

func (b *randBuf) read(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := io.ReadFull(b.r, p); err != nil {
		panic("atrest: no randomness: " + err.Error()) // crypto/rand does not fail
	}
}
