package ratchet

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/sha512"
)

// InvitationKeys are the inviter's public keys, carried in a link: two
// X25519 keys (as SimpleX's E2E parameters) and an ML-KEM-768
// encapsulation key. DH2 also serves as the inviter's first ratchet key.
type InvitationKeys struct {
	DH1, DH2 [32]byte
	KEM      [mlkem.EncapsulationKeySize768]byte
}

// JoinerHello is what the joiner sends back, in clear, beside its first
// ratchet message: its two X25519 keys, its first ratchet public key and
// the ML-KEM-768 ciphertext.
type JoinerHello struct {
	DH1, DH2      [32]byte
	RatchetKey    [32]byte
	KEMCiphertext [mlkem.CiphertextSize768]byte
}

// InvitationSecret is the inviter's private half of an invitation, kept
// (MarshalBinary) until someone joins. Zero value is not usable.
type InvitationSecret struct {
	k1, k2 *ecdh.PrivateKey
	dk     *mlkem.DecapsulationKey768
}

// NewInvitation makes a fresh invitation: the secret the inviter keeps and
// the keys that go in the link.
func NewInvitation() (*InvitationSecret, InvitationKeys, error) {
	k1, err := newX25519()
	if err != nil {
		return nil, InvitationKeys{}, err
	}
	k2, err := newX25519()
	if err != nil {
		return nil, InvitationKeys{}, err
	}
	seed, err := readRandom(mlkem.SeedSize)
	if err != nil {
		return nil, InvitationKeys{}, err
	}
	dk, err := mlkem.NewDecapsulationKey768(seed)
	if err != nil {
		return nil, InvitationKeys{}, err
	}
	s := &InvitationSecret{k1: k1, k2: k2, dk: dk}
	return s, s.Keys(), nil
}

// Keys returns the public keys of the invitation (to rebuild a link).
func (s *InvitationSecret) Keys() InvitationKeys {
	k := InvitationKeys{DH1: pub32(s.k1), DH2: pub32(s.k2)}
	copy(k.KEM[:], s.dk.EncapsulationKey().Bytes())
	return k
}

// InitJoiner runs the joiner's side of the key agreement against the
// inviter's keys and returns its ratchet (ready to Encrypt) and the hello
// to send to the inviter.
func InitJoiner(k InvitationKeys) (*Ratchet, JoinerHello, error) {
	var h JoinerHello
	ek, err := mlkem.NewEncapsulationKey768(k.KEM[:])
	if err != nil {
		return nil, h, errorf(ErrBadKey, "kem: %v", err)
	}
	keys := make([]*ecdh.PrivateKey, 3) // k1b, k2b, first ratchet key
	for i := range keys {
		if keys[i], err = newX25519(); err != nil {
			return nil, h, err
		}
	}
	ss, ct, err := encapsulate(ek)
	if err != nil {
		return nil, h, errorf(ErrRandom, "kem: %v", err)
	}
	h.DH1, h.DH2, h.RatchetKey = pub32(keys[0]), pub32(keys[1]), pub32(keys[2])
	copy(h.KEMCiphertext[:], ct)
	// DH(k1a,k2b) ‖ DH(k2a,k1b) ‖ DH(k2a,k2b), computed from the joiner's side.
	ikm, err := concatDH(ss, dhPair{keys[1], k.DH1}, dhPair{keys[0], k.DH2}, dhPair{keys[1], k.DH2})
	if err != nil {
		return nil, h, err
	}
	rk, hka, nhkb := kdfX3DH(ikm, transcriptSalt(k, h))
	r, err := initSender(rk, hka, nhkb, keys[2], k.DH2)
	if err != nil {
		return nil, h, err
	}
	return r, h, nil
}

// InitInviter runs the inviter's side with the joiner's hello and returns
// its ratchet, ready to Encrypt and to Decrypt the joiner's messages. The
// secret may be deleted afterwards (forward secrecy of the handshake).
func InitInviter(s *InvitationSecret, h JoinerHello) (*Ratchet, error) {
	if s == nil || s.dk == nil {
		return nil, errorf(ErrBadEncoding, "nil invitation secret")
	}
	ss, err := s.dk.Decapsulate(h.KEMCiphertext[:])
	if err != nil {
		return nil, errorf(ErrBadKey, "kem: %v", err)
	}
	ikm, err := concatDH(ss, dhPair{s.k1, h.DH2}, dhPair{s.k2, h.DH1}, dhPair{s.k2, h.DH2})
	if err != nil {
		return nil, err
	}
	rk, hka, nhkb := kdfX3DH(ikm, transcriptSalt(s.Keys(), h))
	return initReceiver(rk, hka, nhkb, s.k2, h.RatchetKey)
}

type dhPair struct {
	priv *ecdh.PrivateKey
	pub  [32]byte
}

// concatDH returns dh1 ‖ dh2 ‖ dh3 ‖ kemShared: the input keying material.
func concatDH(kemShared []byte, pairs ...dhPair) ([]byte, error) {
	ikm := make([]byte, 0, 32*len(pairs)+len(kemShared))
	for _, p := range pairs {
		out, err := dh(p.priv, p.pub)
		if err != nil {
			return nil, err
		}
		ikm = append(ikm, out...)
	}
	return append(ikm, kemShared...), nil
}

// transcriptSalt binds the derived keys to every public value of the
// handshake: SHA-512(InvitationKeys bytes ‖ JoinerHello bytes).
func transcriptSalt(k InvitationKeys, h JoinerHello) []byte {
	d := sha512.New()
	kb, _ := k.MarshalBinary()
	hb, _ := h.MarshalBinary()
	d.Write(kb)
	d.Write(hb)
	return d.Sum(nil)
}
