package ratchet

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/rand"
	"io"
)

// random is the source of every random byte this package uses (keys, KEM
// seeds, header nonces). Tests replace it, together with encapsulate, to
// produce deterministic vectors; production code never changes it.
var random io.Reader = rand.Reader

// encapsulate performs ML-KEM-768 encapsulation. Tests replace it with the
// derandomized mlkemtest.Encapsulate768 fed from random.
var encapsulate = func(ek *mlkem.EncapsulationKey768) (shared, ct []byte, err error) {
	shared, ct = ek.Encapsulate()
	return shared, ct, nil
}

func readRandom(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(random, b); err != nil {
		return nil, errorf(ErrRandom, "%v", err)
	}
	return b, nil
}

// newX25519 makes a key pair from 32 bytes of random (not
// ecdh.GenerateKey, whose reader parameter is ignored since Go 1.26).
func newX25519() (*ecdh.PrivateKey, error) {
	b, err := readRandom(32)
	if err != nil {
		return nil, err
	}
	return ecdh.X25519().NewPrivateKey(b)
}

// dh computes X25519; it fails for low-order peer keys (all-zero output).
func dh(priv *ecdh.PrivateKey, pub [32]byte) ([]byte, error) {
	p, err := ecdh.X25519().NewPublicKey(pub[:])
	if err != nil {
		return nil, errorf(ErrBadKey, "%v", err)
	}
	out, err := priv.ECDH(p)
	if err != nil {
		return nil, errorf(ErrBadKey, "%v", err)
	}
	return out, nil
}

func pub32(k *ecdh.PrivateKey) (p [32]byte) {
	copy(p[:], k.PublicKey().Bytes())
	return p
}
