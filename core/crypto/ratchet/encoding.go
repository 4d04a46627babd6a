package ratchet

import (
	"crypto/ecdh"
	"crypto/mlkem"
)

// Encoding versions (first byte of each encoding).
const (
	keysVersion   = 1
	helloVersion  = 1
	secretVersion = 1
)

// Encoded sizes.
const (
	InvitationKeysSize   = 1 + 32 + 32 + mlkem.EncapsulationKeySize768 // 1249
	JoinerHelloSize      = 1 + 32 + 32 + 32 + mlkem.CiphertextSize768  // 1185
	invitationSecretSize = 1 + 32 + 32 + mlkem.SeedSize                // 129
)

// MarshalBinary encodes the keys: version 1 ‖ DH1 ‖ DH2 ‖ KEM.
func (k InvitationKeys) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, InvitationKeysSize)
	b = append(b, keysVersion)
	b = append(b, k.DH1[:]...)
	b = append(b, k.DH2[:]...)
	return append(b, k.KEM[:]...), nil
}

// UnmarshalBinary decodes keys, checking the length, the version and the
// validity of the ML-KEM encapsulation key.
func (k *InvitationKeys) UnmarshalBinary(b []byte) error {
	if len(b) != InvitationKeysSize || b[0] != keysVersion {
		return errorf(ErrBadEncoding, "invitation keys: length %d or version", len(b))
	}
	if _, err := mlkem.NewEncapsulationKey768(b[65:]); err != nil {
		return errorf(ErrBadEncoding, "invitation keys: %v", err)
	}
	copy(k.DH1[:], b[1:33])
	copy(k.DH2[:], b[33:65])
	copy(k.KEM[:], b[65:])
	return nil
}

// MarshalBinary encodes the hello: version 1 ‖ DH1 ‖ DH2 ‖ RatchetKey ‖
// KEMCiphertext.
func (h JoinerHello) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, JoinerHelloSize)
	b = append(b, helloVersion)
	b = append(b, h.DH1[:]...)
	b = append(b, h.DH2[:]...)
	b = append(b, h.RatchetKey[:]...)
	return append(b, h.KEMCiphertext[:]...), nil
}

// UnmarshalBinary decodes a hello, checking the length and version.
func (h *JoinerHello) UnmarshalBinary(b []byte) error {
	if len(b) != JoinerHelloSize || b[0] != helloVersion {
		return errorf(ErrBadEncoding, "joiner hello: length %d or version", len(b))
	}
	copy(h.DH1[:], b[1:33])
	copy(h.DH2[:], b[33:65])
	copy(h.RatchetKey[:], b[65:97])
	copy(h.KEMCiphertext[:], b[97:])
	return nil
}

// MarshalBinary encodes the secret: version 1 ‖ k1 ‖ k2 ‖ ML-KEM seed.
// The result is secret key material.
func (s *InvitationSecret) MarshalBinary() ([]byte, error) {
	if s == nil || s.dk == nil {
		return nil, errorf(ErrBadEncoding, "nil invitation secret")
	}
	b := make([]byte, 0, invitationSecretSize)
	b = append(b, secretVersion)
	b = append(b, s.k1.Bytes()...)
	b = append(b, s.k2.Bytes()...)
	return append(b, s.dk.Bytes()...), nil
}

// UnmarshalBinary decodes a secret written by MarshalBinary.
func (s *InvitationSecret) UnmarshalBinary(b []byte) error {
	if len(b) != invitationSecretSize || b[0] != secretVersion {
		return errorf(ErrBadEncoding, "invitation secret: length %d or version", len(b))
	}
	k1, err1 := ecdh.X25519().NewPrivateKey(b[1:33])
	k2, err2 := ecdh.X25519().NewPrivateKey(b[33:65])
	dk, err3 := mlkem.NewDecapsulationKey768(b[65:])
	if err1 != nil || err2 != nil || err3 != nil {
		return errorf(ErrBadEncoding, "invitation secret: bad key")
	}
	s.k1, s.k2, s.dk = k1, k2, dk
	return nil
}
