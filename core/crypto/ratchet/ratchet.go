package ratchet

import (
	"crypto/ecdh"
	"math"
)

// Bounds on skipped message keys (messages that arrive out of order).
const (
	// MaxSkip is the largest gap accepted within one receiving chain.
	MaxSkip = 512
	// MaxSkippedKeys is how many skipped keys are kept in total; beyond it
	// the oldest are evicted (their messages then fail with ErrDuplicate).
	MaxSkippedKeys = 2000
	// RecentChains is how many previous receiving chains' header keys are
	// kept to recognise their messages as duplicates.
	RecentChains = 4
)

// Ratchet is one side of a double ratchet with header encryption. Create
// it with InitJoiner or InitInviter, or restore it with UnmarshalBinary.
// Not safe for concurrent use.
type Ratchet struct {
	st      state
	skipped []skippedKey // oldest first
}

// state is everything but the skipped keys; it is copied by value so that
// Decrypt can work on a copy and commit only on success.
type state struct {
	dhsPriv    [32]byte         // our ratchet private key
	dhsPub     [32]byte         // and its public key (sent in headers)
	dhs        *ecdh.PrivateKey // the same key, built on first DH use after a load
	dhr        [32]byte         // their ratchet public key
	rk         [32]byte
	cks, ckr   [32]byte
	hks, hkr   [32]byte
	nhks, nhkr [32]byte
	hasRecv    bool // ckr and hkr are set
	ns, nr, pn uint32
	recent     [RecentChains][32]byte // previous receiving header keys, newest first
	nrecent    uint8
}

type skippedKey struct {
	hk [32]byte
	n  uint32
	mk [msgKeySize]byte
}

// initSender is RatchetInitAlice (the joiner): it ratchets at once
// against the inviter's DH2, so it can send before receiving.
func initSender(sk, hka, nhkb [32]byte, dhs *ecdh.PrivateKey, peer [32]byte) (*Ratchet, error) {
	out, err := dh(dhs, peer)
	if err != nil {
		return nil, err
	}
	st := state{dhr: peer, hks: hka, nhkr: nhkb}
	st.setDHs(dhs)
	st.rk, st.cks, st.nhks = kdfRoot(sk, out)
	return &Ratchet{st: st}, nil
}

// initReceiver is RatchetInitBob (the inviter, ratchet key DH2) followed
// at once by the DH ratchet step that Bob would run on the joiner's first
// header (PN = 0), whose ratchet key the hello carries. That lets the
// inviter send before it has received anything; the keys are those the
// standard construction derives on first receipt.
func initReceiver(sk, hka, nhkb [32]byte, dhs *ecdh.PrivateKey, joinerKey [32]byte) (*Ratchet, error) {
	st := state{rk: sk, nhks: nhkb, nhkr: hka}
	st.setDHs(dhs)
	if err := st.dhRatchet(joinerKey); err != nil {
		return nil, err
	}
	return &Ratchet{st: st}, nil
}

func (st *state) setDHs(k *ecdh.PrivateKey) {
	st.dhs = k
	copy(st.dhsPriv[:], k.Bytes())
	st.dhsPub = pub32(k)
}

// dhRatchet is DHRatchetHE.
func (st *state) dhRatchet(theirs [32]byte) error {
	if st.dhs == nil { // restored by UnmarshalBinary: pay the base-point multiplication now
		k, err := ecdh.X25519().NewPrivateKey(st.dhsPriv[:])
		if err != nil {
			return errorf(ErrBadEncoding, "ratchet key: %v", err)
		}
		st.dhs = k
	}
	out, err := dh(st.dhs, theirs)
	if err != nil {
		return err
	}
	next, err := newX25519()
	if err != nil {
		return err
	}
	if st.hasRecv {
		copy(st.recent[1:], st.recent[:RecentChains-1])
		st.recent[0] = st.hkr
		st.nrecent = min(st.nrecent+1, RecentChains)
	}
	st.pn, st.ns, st.nr = st.ns, 0, 0
	st.hks, st.hkr, st.hasRecv = st.nhks, st.nhkr, true
	st.dhr = theirs
	st.rk, st.ckr, st.nhkr = kdfRoot(st.rk, out)
	st.setDHs(next)
	out, err = dh(st.dhs, theirs)
	if err != nil {
		return err
	}
	st.rk, st.cks, st.nhks = kdfRoot(st.rk, out)
	return nil
}

// Encrypt encrypts plaintext with associated data ad (authenticated, not
// sent) and returns the message: version ‖ encrypted header ‖ body. It
// advances the sending chain; on error the Ratchet is unchanged.
func (r *Ratchet) Encrypt(plaintext, ad []byte) ([]byte, error) {
	if r.st.ns == math.MaxUint32 {
		return nil, ErrExhausted
	}
	nonce, err := readRandom(nonceSize)
	if err != nil {
		return nil, err
	}
	ck, mk := kdfChain(r.st.cks)
	h := header{dh: r.st.dhsPub, pn: r.st.pn, n: r.st.ns}
	msg := make([]byte, 0, Overhead+len(plaintext))
	msg = append(msg, msgVersion)
	msg = sealHeader(msg, r.st.hks, h, nonce)
	msg = sealBody(msg, mk, plaintext, bodyAAD(ad, msg[:prefixLen]))
	r.st.cks = ck
	r.st.ns++
	return msg, nil
}
