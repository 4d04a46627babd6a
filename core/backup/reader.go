package backup

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// ReadHeader reads and parses a backup's header from r.
func ReadHeader(r io.Reader) (*Header, error) {
	b := make([]byte, HeaderSize)
	n, err := io.ReadFull(r, b)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ParseHeader(b[:n])
	}
	if err != nil {
		return nil, err
	}
	return ParseHeader(b)
}

// CheckSchema refuses a backup of records newer than schema, the newest
// this app reads (ErrSchemaTooNew).
func (h *Header) CheckSchema(schema int) error {
	if h.Schema > schema {
		return fmt.Errorf("%w: records of schema %d, this app reads up to %d", ErrSchemaTooNew, h.Schema, schema)
	}
	return nil
}

// Reader reads a backup's records and files, authenticating every
// segment as it goes: an entry is returned only once the segment holding
// it opened. A damaged backup fails at the first damaged segment, so a
// caller that must not act on part of a backup reads it all first.
type Reader struct {
	h    *Header
	d    *decoder
	info Info
}

// Open reads the header from r, checks the schema, derives the key from
// passphrase (Argon2id) and reads the info entry. It returns the key too,
// to read the same backup again without deriving it again (NewReader).
func Open(r io.Reader, passphrase []byte, schema int) (*Reader, *Key, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return nil, nil, err
	}
	if err := h.CheckSchema(schema); err != nil {
		return nil, nil, err
	}
	k, err := h.Unlock(passphrase)
	if err != nil {
		return nil, nil, err
	}
	br, err := NewReader(r, h, k)
	return br, k, err
}

// NewReader reads the backup of header h and key k from r, positioned
// right after the header; it reads the info entry.
func NewReader(r io.Reader, h *Header, k *Key) (*Reader, error) {
	d := &decoder{r: bufio.NewReaderSize(newSegReader(r, &k.stream), 32<<10), withFiles: h.Files}
	info, err := d.info()
	if err != nil {
		return nil, err
	}
	return &Reader{h: h, d: d, info: info}, nil
}

// reopen reads the backup again from r (from its start) with the key of a
// first reading: the header must be the same bytes.
func reopen(r io.Reader, h *Header, k *Key) (*Reader, error) {
	h2, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(h2.Marshal(), h.Marshal()) {
		return nil, fmt.Errorf("%w: the backup changed between two readings", ErrBadBackup)
	}
	return NewReader(r, h, k)
}

// Header is the backup's header.
func (r *Reader) Header() *Header { return r.h }

// Info is what the backup says of itself.
func (r *Reader) Info() Info { return r.info }

// Next returns the next record or file (whose bytes Read then returns),
// or io.EOF after the end entry: then the backup was whole.
func (r *Reader) Next() (Entry, error) { return r.d.next() }

// Read reads the bytes of the file Next returned last (io.EOF at its end).
func (r *Reader) Read(p []byte) (int, error) { return r.d.Read(p) }
