package wire

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
)

// MACKeyLen is the length of a per-queue authenticator key.
const MACKeyLen = 32

const macInfo = "sxweb relay auth v1"

// ErrBadKey is returned for a key of the wrong length or a low-order point.
var ErrBadKey = errors.New("wire: bad X25519 key")

// NewKeyPair returns a fresh X25519 private and public key (32 bytes each).
func NewKeyPair() (priv, pub []byte) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand never fails
	}
	return k.Bytes(), k.PublicKey().Bytes()
}

// PublicKey returns the X25519 public key of priv.
func PublicKey(priv []byte) ([]byte, error) {
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil {
		return nil, ErrBadKey
	}
	return k.PublicKey().Bytes(), nil
}

// MACKey derives the authenticator key of one queue party:
// HKDF-SHA256(X25519(priv, pub), salt empty, info "sxweb relay auth v1"), 32 bytes.
// The client calls it with its queue key and the relay's auth key, the relay
// with its auth key and the client's public key; both get the same key.
func MACKey(priv, pub []byte) ([]byte, error) {
	if len(priv) != KeyLen || len(pub) != KeyLen {
		return nil, ErrBadKey
	}
	// One scalar multiplication (crypto/ecdh would also derive priv's
	// public key); X25519 rejects low-order points (all-zero output).
	secret, err := curve25519.X25519(priv, pub)
	if err != nil {
		return nil, ErrBadKey
	}
	return hkdf.Key(sha256.New, secret, nil, macInfo, MACKeyLen)
}

// Tag computes the authenticator: HMAC-SHA256(macKey, sessionID ‖ header ‖
// signed) truncated to TagLen bytes, written into out.
func Tag(macKey, sessionID []byte, header byte, signed []byte, out []byte) {
	m := hmac.New(sha256.New, macKey)
	m.Write(sessionID)
	m.Write([]byte{header})
	m.Write(signed)
	var sum [sha256.Size]byte
	copy(out, m.Sum(sum[:0])[:TagLen])
}

// Verify reports whether t carries a valid authenticator under macKey, in
// constant time with respect to the tag. A nil macKey still does the work
// (with a dummy key) and returns false, so unknown queues cost the same.
func Verify(macKey, sessionID []byte, t *Transmission) bool {
	key, ok := macKey, true
	if len(key) != MACKeyLen {
		key, ok = dummyKey[:], false
	}
	var want [TagLen]byte
	Tag(key, sessionID, t.Header, t.Signed, want[:])
	auth := t.Auth
	if len(auth) != TagLen {
		auth, ok = dummyKey[:TagLen], false
	}
	return subtle.ConstantTimeCompare(want[:], auth) == 1 && ok
}

var dummyKey [MACKeyLen]byte

// SignerFor returns a Signer that tags with macKey over sessionID.
func SignerFor(macKey, sessionID []byte) Signer {
	return func(header byte, signed, tag []byte) { Tag(macKey, sessionID, header, signed, tag) }
}

// BoxKey precomputes the NaCl box key between priv and pub (the queue's DH
// secret used to re-encrypt delivered messages).
func BoxKey(priv, pub []byte) (*[32]byte, error) {
	if len(priv) != KeyLen || len(pub) != KeyLen {
		return nil, ErrBadKey
	}
	if _, err := ecdh.X25519().NewPublicKey(pub); err != nil {
		return nil, ErrBadKey
	}
	var k, sk, pk [32]byte
	copy(sk[:], priv)
	copy(pk[:], pub)
	box.Precompute(&k, &pk, &sk)
	return &k, nil
}

// SealMsg appends the NaCl box of body to dst; the nonce is the 24-byte
// message id (unique per queue because ids are random).
func SealMsg(dst, body, msgID []byte, key *[32]byte) []byte {
	var n [24]byte
	copy(n[:], msgID)
	return box.SealAfterPrecomputation(dst, body, &n, key)
}

// OpenMsg opens a boxed MSG body; ok is false if it was tampered with.
func OpenMsg(dst, boxed, msgID []byte, key *[32]byte) ([]byte, bool) {
	var n [24]byte
	copy(n[:], msgID)
	return box.OpenAfterPrecomputation(dst, boxed, &n, key)
}
