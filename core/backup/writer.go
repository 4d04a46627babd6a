package backup

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
)

// WriterOptions configures NewWriter.
type WriterOptions struct {
	Schema  int        // the version of the records' schema (the header's)
	Files   bool       // file bytes will follow the records
	Created time.Time  // zero: now
	Cost    kdf.Params // Argon2id cost (Salt ignored; zero: kdf's defaults)
}

// Writer writes a backup: the header, then records in (bucket, key)
// order, then files in id order, then Close. It holds at most one segment.
type Writer struct {
	seg      *segWriter
	buf      []byte
	withFile bool
	last     *store.Pos
	lastFile string
	inFiles  bool
	records  uint64
	files    uint64
	err      error
}

// NewWriter derives the backup's key from passphrase (Argon2id: about a
// second in the browser, so call it before taking any lock) and writes
// the header and the info entry to w.
func NewWriter(w io.Writer, passphrase []byte, o WriterOptions) (*Writer, error) {
	if len(passphrase) == 0 {
		return nil, fmt.Errorf("%w: a backup needs a passphrase", ErrBadPassphrase)
	}
	h, k, err := newHeader(passphrase, o.Schema, o.Files, o.Cost)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(h.Marshal()); err != nil {
		return nil, err
	}
	if o.Created.IsZero() {
		o.Created = time.Now()
	}
	bw := &Writer{seg: newSegWriter(w, &k.stream), withFile: o.Files}
	return bw, bw.write(appendInfo(nil, Info{Created: o.Created}))
}

func (w *Writer) write(b []byte) error {
	if w.err != nil {
		return w.err
	}
	_, w.err = w.seg.Write(b)
	return w.err
}

// Record adds a record; records come in strictly increasing (bucket, key)
// order, before any file, and never from a system bucket.
func (w *Writer) Record(bucket, key string, value []byte) error {
	if err := checkRecord(bucket, key, value); err != nil {
		return fmt.Errorf("backup: record: %v", err)
	}
	if w.inFiles || !after(w.last, bucket, key) {
		return fmt.Errorf("backup: record %q/%q: %w", bucket, key, errOrder)
	}
	w.last = &store.Pos{Bucket: bucket, Key: key}
	w.records++
	w.buf = appendRecord(w.buf[:0], bucket, key, value)
	return w.write(w.buf)
}

// File adds a file of size bytes read from src (exactly that many), in
// strictly increasing id order after the records.
func (w *Writer) File(id string, size int64, src io.Reader) error {
	if !w.withFile {
		return errors.New("backup: a file in a backup made without files")
	}
	if err := checkFile(id, size); err != nil {
		return fmt.Errorf("backup: %v", err)
	}
	if w.inFiles && id <= w.lastFile {
		return fmt.Errorf("backup: file %q: %w", id, errOrder)
	}
	w.inFiles, w.lastFile = true, id
	w.files++
	if err := w.write(appendFileHead(w.buf[:0], id, size)); err != nil {
		return err
	}
	n, err := io.CopyN(writerOnly{w.seg}, src, size)
	if err != nil {
		w.err = fmt.Errorf("backup: file %q: %d of %d bytes: %w", id, n, size, err)
	}
	return w.err
}

// writerOnly hides segWriter's other methods from io.CopyN.
type writerOnly struct{ io.Writer }

// Close writes the end entry and seals the last segment.
func (w *Writer) Close() error {
	if err := w.write(appendEnd(w.buf[:0], w.records, w.files)); err != nil {
		return err
	}
	w.err = w.seg.Close()
	if w.err == nil {
		w.err = errors.New("backup: writer closed")
		return nil
	}
	return w.err
}
