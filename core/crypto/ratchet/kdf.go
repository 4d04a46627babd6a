package ratchet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha512"
	"encoding/binary"
)

// KDF info strings (see docs/crypto.md). Changing any of them is a new
// protocol version.
const (
	infoX3DH  = "sxweb/x3dh/v1"
	infoRoot  = "sxweb/ratchet/root/v1"
	infoChain = "sxweb/ratchet/chain/v1"
)

const (
	keySize      = 32
	nonceSize    = 12
	tagSize      = 16
	headerSize   = 32 + 4 + 4                       // ratchet key, PN, N
	encHeaderLen = nonceSize + headerSize + tagSize // 68
	msgVersion   = 1
	prefixLen    = 1 + encHeaderLen    // version + header
	msgKeySize   = keySize + nonceSize // AES key + body nonce
)

// Overhead is how many bytes Encrypt adds to a plaintext: a version byte,
// the encrypted header (nonce, 40-byte header, tag) and the body's tag.
const Overhead = prefixLen + tagSize // 85

func hkdfKey(secret, salt []byte, info string, n int) []byte {
	k, err := hkdf.Key(sha512.New, secret, salt, info, n)
	if err != nil { // only for n > 255*64
		panic("ratchet: hkdf: " + err.Error())
	}
	return k
}

// kdfX3DH derives the initial root key and the two shared header keys.
// salt is the transcript hash (see transcriptSalt).
func kdfX3DH(ikm, salt []byte) (rk, hka, nhkb [32]byte) {
	k := hkdfKey(ikm, salt, infoX3DH, 3*keySize)
	copy(rk[:], k[0:32])
	copy(hka[:], k[32:64])
	copy(nhkb[:], k[64:96])
	return
}

// kdfRoot is KDF_RK_HE: root key, chain key and next header key.
func kdfRoot(rk [32]byte, dhOut []byte) (rk2, ck, nhk [32]byte) {
	k := hkdfKey(dhOut, rk[:], infoRoot, 3*keySize)
	copy(rk2[:], k[0:32])
	copy(ck[:], k[32:64])
	copy(nhk[:], k[64:96])
	return
}

// kdfChain is KDF_CK: the next chain key and one message key (AES key and
// body nonce).
func kdfChain(ck [32]byte) (ck2 [32]byte, mk [msgKeySize]byte) {
	k := hkdfKey(ck[:], nil, infoChain, keySize+msgKeySize)
	copy(ck2[:], k[:32])
	copy(mk[:], k[32:])
	return
}

func gcm(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic("ratchet: aes: " + err.Error()) // key is always 32 bytes
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		panic("ratchet: gcm: " + err.Error())
	}
	return a
}

type header struct {
	dh    [32]byte
	pn, n uint32
}

func (h header) bytes() []byte {
	b := make([]byte, 0, headerSize)
	b = append(b, h.dh[:]...)
	b = binary.BigEndian.AppendUint32(b, h.pn)
	return binary.BigEndian.AppendUint32(b, h.n)
}

// sealHeader appends nonce ‖ AES-GCM(hk, header, aad=version) to dst.
func sealHeader(dst []byte, hk [32]byte, h header, nonce []byte) []byte {
	dst = append(dst, nonce...)
	return gcm(hk[:]).Seal(dst, nonce, h.bytes(), []byte{msgVersion})
}

// openHeader opens the encrypted header enc (encHeaderLen bytes).
func openHeader(hk [32]byte, enc []byte) (header, bool) {
	var h header
	pt, err := gcm(hk[:]).Open(nil, enc[:nonceSize], enc[nonceSize:], []byte{msgVersion})
	if err != nil {
		return h, false
	}
	copy(h.dh[:], pt[:32])
	h.pn = binary.BigEndian.Uint32(pt[32:36])
	h.n = binary.BigEndian.Uint32(pt[36:40])
	return h, true
}

// bodyAAD is the caller's associated data followed by the fixed-size
// message prefix (version and encrypted header).
func bodyAAD(ad, prefix []byte) []byte {
	a := make([]byte, 0, len(ad)+len(prefix))
	return append(append(a, ad...), prefix...)
}

func sealBody(dst []byte, mk [msgKeySize]byte, pt, aad []byte) []byte {
	return gcm(mk[:keySize]).Seal(dst, mk[keySize:], pt, aad)
}

func openBody(mk [msgKeySize]byte, ct, aad []byte) ([]byte, bool) {
	pt, err := gcm(mk[:keySize]).Open(nil, mk[keySize:], ct, aad)
	return pt, err == nil
}
