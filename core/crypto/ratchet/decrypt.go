package ratchet

// Decrypt decrypts a message from Encrypt with the same associated data.
// It changes the Ratchet only when it returns a plaintext; any error
// leaves it exactly as it was.
//
// Header keys are tried in this order: the current receiving chain's, those
// of older chains (chains with skipped keys, and the last RecentChains
// chains), then the next header key, which starts a DH ratchet step.
func (r *Ratchet) Decrypt(msg, ad []byte) ([]byte, error) {
	if len(msg) < Overhead {
		return nil, errorf(ErrBadMessage, "%d bytes, need at least %d", len(msg), Overhead)
	}
	if msg[0] != msgVersion {
		return nil, errorf(ErrBadMessage, "unknown version %d", msg[0])
	}
	encHdr, body := msg[1:prefixLen], msg[prefixLen:]
	aad := bodyAAD(ad, msg[:prefixLen])
	if r.st.hasRecv {
		if h, ok := openHeader(r.st.hkr, encHdr); ok {
			if i := r.findSkipped(r.st.hkr, h.n); i >= 0 {
				return r.useSkipped(i, body, aad)
			}
			if h.n < r.st.nr {
				return nil, ErrDuplicate
			}
			return r.decryptCurrent(h, false, body, aad)
		}
	}
	for _, hk := range r.oldHeaderKeys() {
		if h, ok := openHeader(hk, encHdr); ok {
			if i := r.findSkipped(hk, h.n); i >= 0 {
				return r.useSkipped(i, body, aad)
			}
			return nil, ErrDuplicate
		}
	}
	if h, ok := openHeader(r.st.nhkr, encHdr); ok {
		return r.decryptCurrent(h, true, body, aad)
	}
	return nil, errorf(ErrDecrypt, "header")
}

// decryptCurrent decrypts a message of the current receiving chain, or
// with ratchet set of the next one, on a copy of the state that is
// committed only if the body authenticates.
func (r *Ratchet) decryptCurrent(h header, ratchet bool, body, aad []byte) ([]byte, error) {
	st := r.st
	var added []skippedKey
	var err error
	if ratchet {
		if added, err = st.skip(h.pn, added); err != nil {
			return nil, err
		}
		if err = st.dhRatchet(h.dh); err != nil {
			return nil, err
		}
	}
	if added, err = st.skip(h.n, added); err != nil {
		return nil, err
	}
	ck, mk := kdfChain(st.ckr)
	st.ckr = ck
	st.nr++
	pt, ok := openBody(mk, body, aad)
	if !ok {
		return nil, errorf(ErrDecrypt, "body")
	}
	r.st = st
	r.addSkipped(added)
	return pt, nil
}

func (r *Ratchet) findSkipped(hk [32]byte, n uint32) int {
	for i := range r.skipped {
		if r.skipped[i].n == n && r.skipped[i].hk == hk {
			return i
		}
	}
	return -1
}

func (r *Ratchet) useSkipped(i int, body, aad []byte) ([]byte, error) {
	pt, ok := openBody(r.skipped[i].mk, body, aad)
	if !ok {
		return nil, errorf(ErrDecrypt, "body")
	}
	r.skipped = append(r.skipped[:i], r.skipped[i+1:]...)
	return pt, nil
}

// oldHeaderKeys lists, without repeats, the header keys of older
// receiving chains: those with skipped keys and the recent ones.
func (r *Ratchet) oldHeaderKeys() [][32]byte {
	var keys [][32]byte
	add := func(k [32]byte) {
		if r.st.hasRecv && k == r.st.hkr {
			return
		}
		for _, x := range keys {
			if x == k {
				return
			}
		}
		keys = append(keys, k)
	}
	for i := range r.skipped {
		add(r.skipped[i].hk)
	}
	for i := 0; i < int(r.st.nrecent); i++ {
		add(r.st.recent[i])
	}
	return keys
}

// skip derives and records the keys of messages st.nr..until-1 of the
// current receiving chain (SkipMessageKeysHE).
func (st *state) skip(until uint32, added []skippedKey) ([]skippedKey, error) {
	if !st.hasRecv || until <= st.nr {
		return added, nil
	}
	if until-st.nr > MaxSkip {
		return nil, errorf(ErrTooManySkipped, "gap of %d in one chain", until-st.nr)
	}
	for st.nr < until {
		var mk [msgKeySize]byte
		st.ckr, mk = kdfChain(st.ckr)
		added = append(added, skippedKey{hk: st.hkr, n: st.nr, mk: mk})
		st.nr++
	}
	return added, nil
}

// addSkipped appends new skipped keys and evicts the oldest beyond
// MaxSkippedKeys.
func (r *Ratchet) addSkipped(added []skippedKey) {
	if len(added) == 0 {
		return
	}
	all := append(r.skipped, added...)
	if extra := len(all) - MaxSkippedKeys; extra > 0 {
		all = append([]skippedKey(nil), all[extra:]...)
	}
	r.skipped = all
}
