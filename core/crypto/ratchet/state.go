package ratchet

import "encoding/binary"

// State format version 1 (see docs/crypto.md):
//
//	version(1)=1 ‖ flags(1) ‖ DHs private(32) ‖ DHs public(32) ‖ DHr(32) ‖ RK ‖ CKs ‖ CKr ‖
//	HKs ‖ HKr ‖ NHKs ‖ NHKr (32 each) ‖ Ns ‖ Nr ‖ PN (uint32 BE each) ‖
//	recent(1) ‖ recent × HK(32), newest first ‖
//	count(uint16 BE) ‖ count × (HK(32) ‖ N(uint32 BE) ‖ MK(44)), oldest first
//
// flags bit 0: a receiving chain exists (CKr, HKr set; else they are zero).
const (
	stateVersion   = 1
	flagRecv       = 1
	stateFixedSize = 1 + 1 + 32 + 32 + 32 + 7*32 + 3*4 + 1 + 2 // 337, no recent keys
	skippedSize    = 32 + 4 + msgKeySize                       // 80
)

// MarshalBinary encodes the whole ratchet state, skipped keys included.
// The result is secret key material.
func (r *Ratchet) MarshalBinary() ([]byte, error) {
	st := &r.st
	b := make([]byte, 0, stateFixedSize+len(r.skipped)*skippedSize)
	var flags byte
	if st.hasRecv {
		flags |= flagRecv
	}
	b = append(b, stateVersion, flags)
	for _, k := range []*[32]byte{&st.dhsPriv, &st.dhsPub, &st.dhr, &st.rk, &st.cks, &st.ckr, &st.hks, &st.hkr, &st.nhks, &st.nhkr} {
		b = append(b, k[:]...)
	}
	for _, n := range []uint32{st.ns, st.nr, st.pn} {
		b = binary.BigEndian.AppendUint32(b, n)
	}
	b = append(b, st.nrecent)
	for _, k := range st.recent[:st.nrecent] {
		b = append(b, k[:]...)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.skipped)))
	for _, e := range r.skipped {
		b = append(b, e.hk[:]...)
		b = binary.BigEndian.AppendUint32(b, e.n)
		b = append(b, e.mk[:]...)
	}
	return b, nil
}

// UnmarshalBinary restores a state written by MarshalBinary. It rejects
// anything malformed with ErrBadEncoding and leaves r unchanged then.
func (r *Ratchet) UnmarshalBinary(b []byte) error {
	if len(b) < stateFixedSize || b[0] != stateVersion || b[1]&^flagRecv != 0 {
		return errorf(ErrBadEncoding, "ratchet state: header")
	}
	var st state
	st.hasRecv = b[1]&flagRecv != 0
	// The ecdh key is built only when a DH ratchet step needs it, so a
	// state can be loaded per message without a scalar multiplication.
	p := b[2:]
	for _, k := range []*[32]byte{&st.dhsPriv, &st.dhsPub, &st.dhr, &st.rk, &st.cks, &st.ckr, &st.hks, &st.hkr, &st.nhks, &st.nhkr} {
		p = p[copy(k[:], p):]
	}
	st.ns, st.nr, st.pn = be32(p[0:]), be32(p[4:]), be32(p[8:])
	st.nrecent, p = p[12], p[13:]
	if st.nrecent > RecentChains || len(p) < int(st.nrecent)*32+2 {
		return errorf(ErrBadEncoding, "ratchet state: recent keys")
	}
	for i := range st.recent[:st.nrecent] {
		p = p[copy(st.recent[i][:], p):]
	}
	count := int(binary.BigEndian.Uint16(p))
	p = p[2:]
	if count > MaxSkippedKeys || len(p) != count*skippedSize {
		return errorf(ErrBadEncoding, "ratchet state: %d skipped keys in %d bytes", count, len(p))
	}
	if !st.hasRecv && (st.ckr != [32]byte{} || st.hkr != [32]byte{}) {
		return errorf(ErrBadEncoding, "ratchet state: receiving chain without flag")
	}
	skipped := make([]skippedKey, count)
	for i := range skipped {
		e := &skipped[i]
		p = p[copy(e.hk[:], p):]
		e.n = be32(p)
		p = p[4+copy(e.mk[:], p[4:]):]
	}
	r.st, r.skipped = st, skipped
	return nil
}

func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
