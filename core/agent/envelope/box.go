package envelope

import (
	"crypto/rand"
	"io"

	"golang.org/x/crypto/nacl/box"
)

// Version is the envelope version this package writes and accepts.
const Version = 1

// Envelope tags: a keyed envelope carries the sender's public key (the
// first message of a sender on a queue, and every connection request);
// a plain one relies on the key the recipient already stored.
const (
	TagKeyed = 'C'
	TagPlain = 'M'
)

// Sizes of the envelope fields.
const (
	KeyLen      = 32
	NonceLen    = 24
	Overhead    = box.Overhead
	keyedHeader = 2 + KeyLen + NonceLen
	plainHeader = 2 + NonceLen
)

// SharedKey is a precomputed crypto_box key (X25519 + HSalsa20) for one
// queue; the agent caches it per queue.
type SharedKey [32]byte

// GenerateKey returns a fresh X25519 key pair for one side of a queue.
func GenerateKey() (pub, priv []byte, err error) {
	p, s, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	return p[:], s[:], nil
}

// Precompute derives the shared key of our private key and the peer's
// public key.
func Precompute(peerPub, priv []byte) (*SharedKey, error) {
	if len(peerPub) != KeyLen || len(priv) != KeyLen {
		return nil, bad("key length")
	}
	var k, pp, sp [32]byte
	copy(pp[:], peerPub)
	copy(sp[:], priv)
	box.Precompute(&k, &pp, &sp)
	s := SharedKey(k)
	return &s, nil
}

// Envelope is the decoded outer layer of a queue message.
type Envelope struct {
	SenderKey []byte // set for TagKeyed
	Nonce     [NonceLen]byte
	Sealed    []byte // box output: Poly1305 tag + ciphertext
}

// Encode writes the envelope bytes.
func (e *Envelope) Encode() []byte {
	out := make([]byte, 0, keyedHeader+len(e.Sealed))
	if e.SenderKey != nil {
		out = append(out, Version, TagKeyed)
		out = append(out, e.SenderKey...)
	} else {
		out = append(out, Version, TagPlain)
	}
	out = append(out, e.Nonce[:]...)
	return append(out, e.Sealed...)
}

// Decode parses envelope bytes; it checks the structure, not the box.
func Decode(b []byte) (*Envelope, error) {
	r := reader{b: b}
	v, tag := r.byte(), r.byte()
	if r.err != nil {
		return nil, bad("too short")
	}
	if v != Version {
		return nil, bad("unsupported version %d", v)
	}
	e := &Envelope{}
	switch tag {
	case TagKeyed:
		e.SenderKey = r.bytes(KeyLen)
	case TagPlain:
	default:
		return nil, bad("unknown tag %d", tag)
	}
	copy(e.Nonce[:], r.bytes(NonceLen))
	e.Sealed = r.rest()
	if r.err != nil {
		return nil, r.err
	}
	if len(e.Sealed) < Overhead {
		return nil, bad("sealed part shorter than the tag")
	}
	return e, nil
}

// Seal pads plaintext to its bucket and boxes it with k under a random
// nonce. senderKey (our public key) is included when non-nil.
func Seal(k *SharedKey, senderKey, plaintext []byte) ([]byte, error) {
	padded, err := pad(plaintext)
	if err != nil {
		return nil, err
	}
	e := &Envelope{SenderKey: senderKey}
	if senderKey != nil && len(senderKey) != KeyLen {
		return nil, bad("sender key length")
	}
	if _, err := io.ReadFull(rand.Reader, e.Nonce[:]); err != nil {
		return nil, err
	}
	kk := [32]byte(*k)
	e.Sealed = box.SealAfterPrecomputation(nil, padded, &e.Nonce, &kk)
	return e.Encode(), nil
}

// Open authenticates and decrypts e with k and removes the padding.
func Open(k *SharedKey, e *Envelope) ([]byte, error) {
	kk := [32]byte(*k)
	padded, ok := box.OpenAfterPrecomputation(nil, e.Sealed, &e.Nonce, &kk)
	if !ok {
		return nil, &Error{Code: CodeDecrypt, Reason: "box authentication failed"}
	}
	return unpad(padded)
}
