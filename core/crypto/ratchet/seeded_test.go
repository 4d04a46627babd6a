package ratchet

import (
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"testing"
)

// drbg is the deterministic randomness of the test vectors:
// block i = SHA-256(seed ‖ uint64_be(i)), concatenated. It is documented
// in docs/crypto.md so another implementation can reproduce the vectors.
type drbg struct {
	seed []byte
	ctr  uint64
	buf  []byte
}

func (d *drbg) Read(p []byte) (int, error) {
	for n := 0; n < len(p); {
		if len(d.buf) == 0 {
			blk := sha256.Sum256(binary.BigEndian.AppendUint64(append([]byte(nil), d.seed...), d.ctr))
			d.ctr++
			d.buf = blk[:]
		}
		c := copy(p[n:], d.buf)
		d.buf = d.buf[c:]
		n += c
	}
	return len(p), nil
}

// seedRandom makes every random byte of this package come from seed until
// the test ends; ML-KEM encapsulation takes its 32 bytes from the same
// stream. Tests using it must not run in parallel.
func seedRandom(t testing.TB, seed string) {
	oldR, oldE := random, encapsulate
	random = &drbg{seed: []byte(seed)}
	encapsulate = func(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
		m := make([]byte, 32)
		if _, err := io.ReadFull(random, m); err != nil {
			return nil, nil, err
		}
		return mlkemtest.Encapsulate768(ek, m)
	}
	t.Cleanup(func() { random, encapsulate = oldR, oldE })
}
