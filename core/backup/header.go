package backup

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/files"
)

// The header, in clear, all integers big-endian:
//
//	off  size
//	0    8    magic "SXWEBBAK"
//	8    1    format version (1)
//	9    2    schema: the version of the records' schema of the app that wrote it
//	11   1    flags: bit 0 = the bytes of stored files follow the records
//	12   1    KDF: 1 = Argon2id
//	13   4    Argon2id time (passes)
//	17   4    Argon2id memory, KiB
//	21   1    Argon2id threads
//	22   16   salt
//	38   16   nonce prefix of the stream (core/files STREAM)
//	54   32   HMAC-SHA256 of bytes 0..53 under the header key
const (
	Magic         = "SXWEBBAK"
	FormatVersion = 1
	HeaderSize    = 86
	saltSize      = 16
	signedSize    = 54
	flagFiles     = 1
	kdfArgon2id   = 1
)

// Header is a backup's header.
type Header struct {
	Version int  // format version
	Schema  int  // the records' schema version
	Files   bool // file bytes included
	KDF     kdf.Params
	Nonce   [files.NonceSize]byte
	MAC     [sha256.Size]byte
}

// Marshal writes the header's HeaderSize bytes.
func (h *Header) Marshal() []byte {
	b := make([]byte, 0, HeaderSize)
	b = append(b, Magic...)
	b = append(b, byte(h.Version))
	b = binary.BigEndian.AppendUint16(b, uint16(h.Schema))
	var flags byte
	if h.Files {
		flags |= flagFiles
	}
	b = append(b, flags, kdfArgon2id)
	b = binary.BigEndian.AppendUint32(b, h.KDF.Time)
	b = binary.BigEndian.AppendUint32(b, h.KDF.MemoryKiB)
	b = append(b, h.KDF.Threads)
	b = append(b, h.KDF.Salt...)
	b = append(b, h.Nonce[:]...)
	return append(b, h.MAC[:]...)
}

// ParseHeader reads a header (exactly HeaderSize bytes). Not a backup, or
// values out of bounds: ErrBadBackup; a newer format: ErrSchemaTooNew. It
// never panics on input (fuzzed) and what it accepts marshals back to the
// same bytes.
func ParseHeader(b []byte) (*Header, error) {
	bad := func(why string, args ...any) error {
		return fmt.Errorf("%w: header: %s", ErrBadBackup, fmt.Sprintf(why, args...))
	}
	if len(b) < len(Magic) || !bytes.Equal(b[:len(Magic)], []byte(Magic)) {
		return nil, bad("no magic")
	}
	if len(b) < HeaderSize {
		return nil, bad("%d bytes", len(b))
	}
	h := &Header{Version: int(b[8]), Schema: int(binary.BigEndian.Uint16(b[9:]))}
	switch {
	case h.Version > FormatVersion:
		return nil, fmt.Errorf("%w: format %d, this app reads %d", ErrSchemaTooNew, h.Version, FormatVersion)
	case h.Version < 1:
		return nil, bad("format %d", h.Version)
	case len(b) != HeaderSize:
		return nil, bad("%d bytes", len(b))
	case b[11]&^flagFiles != 0:
		return nil, bad("flags %#x", b[11])
	case b[12] != kdfArgon2id:
		return nil, bad("KDF %d", b[12])
	}
	h.Files = b[11]&flagFiles != 0
	h.KDF = kdf.Params{Time: binary.BigEndian.Uint32(b[13:]), MemoryKiB: binary.BigEndian.Uint32(b[17:]),
		Threads: b[21], Salt: bytes.Clone(b[22:38])}
	if err := h.KDF.Check(); err != nil {
		return nil, bad("%v", err)
	}
	copy(h.Nonce[:], b[38:54])
	copy(h.MAC[:], b[54:])
	return h, nil
}

// Key opens (or seals) one backup's stream: derived from the passphrase
// and the header's salt and parameters.
type Key struct {
	stream    files.Keys
	headerKey []byte
}

// deriveKey derives the keys of h from passphrase (Argon2id: about a
// second in the browser).
func deriveKey(passphrase []byte, h *Header) (*Key, error) {
	master, err := kdf.Derive(passphrase, h.KDF)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	k := &Key{}
	sk, err := hkdf.Key(sha256.New, master, nil, "sxweb backup v1: stream", files.KeySize)
	if err != nil {
		return nil, err
	}
	copy(k.stream.Key[:], sk)
	k.stream.Nonce = h.Nonce
	if k.headerKey, err = hkdf.Key(sha256.New, master, nil, "sxweb backup v1: header", 32); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Key) mac(h *Header) []byte {
	m := hmac.New(sha256.New, k.headerKey)
	m.Write(h.Marshal()[:signedSize])
	return m.Sum(nil)
}

// Unlock derives the key of the backup with header h from passphrase and
// checks the header's MAC with it (ErrBadPassphrase when it does not
// match).
func (h *Header) Unlock(passphrase []byte) (*Key, error) {
	k, err := deriveKey(passphrase, h)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(k.mac(h), h.MAC[:]) {
		return nil, ErrBadPassphrase
	}
	return k, nil
}

// newHeader makes the header of a new backup, its key and its MAC.
func newHeader(passphrase []byte, schema int, withFiles bool, cost kdf.Params) (*Header, *Key, error) {
	p, err := kdf.NewParams()
	if err != nil {
		return nil, nil, err
	}
	if cost.Time != 0 {
		p.Time, p.MemoryKiB, p.Threads = cost.Time, cost.MemoryKiB, cost.Threads
	}
	if schema < 0 || schema > 0xffff {
		return nil, nil, fmt.Errorf("backup: schema %d", schema)
	}
	h := &Header{Version: FormatVersion, Schema: schema, Files: withFiles, KDF: p}
	if _, err := rand.Read(h.Nonce[:]); err != nil {
		return nil, nil, err
	}
	k, err := deriveKey(passphrase, h)
	if err != nil {
		return nil, nil, err
	}
	copy(h.MAC[:], k.mac(h))
	return h, k, nil
}
