package backup

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/sxweb/sxweb/core/files"
)

// The entries travel in segments of segPlain bytes (the last one 1 to
// segPlain), each sealed with core/files' STREAM construction: segment i
// under nonce (prefix, i, last). A segment changed, moved or dropped, the
// stream cut at any byte or extended, does not open.
const (
	segPlain  = files.SegmentSize
	segSealed = files.SegmentSize + files.Overhead
)

// segWriter seals what is written to it into segments on w. Close seals
// the last one (the stream is never empty: there is always an end entry).
type segWriter struct {
	w   io.Writer
	k   *files.Keys
	buf []byte
	n   uint64
	out []byte
}

func newSegWriter(w io.Writer, k *files.Keys) *segWriter {
	return &segWriter{w: w, k: k, buf: make([]byte, 0, segPlain), out: make([]byte, 0, segSealed)}
}

// Write buffers p; a full segment is sealed only once more bytes come, so
// that Close always has a non-empty last one.
func (s *segWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == segPlain {
			if err := s.flush(false); err != nil {
				return n - len(p), err
			}
		}
		c := copy(s.buf[len(s.buf):segPlain], p)
		s.buf = s.buf[:len(s.buf)+c]
		p = p[c:]
	}
	return n, nil
}

func (s *segWriter) flush(last bool) error {
	s.out = s.k.SealSegment(s.out[:0], s.buf, s.n, last)
	s.n++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

func (s *segWriter) Close() error {
	if len(s.buf) == 0 {
		return errors.New("backup: an empty stream") // cannot happen: the end entry
	}
	return s.flush(true)
}

// segReader opens the segments read from r, in order; a segment is the
// last when r ends right after it.
type segReader struct {
	r      *bufio.Reader
	k      *files.Keys
	n      uint64
	sealed []byte
	plain  []byte
	off    int
	done   bool
}

func newSegReader(r io.Reader, k *files.Keys) *segReader {
	return &segReader{r: bufio.NewReaderSize(r, 64<<10), k: k, sealed: make([]byte, segSealed), plain: make([]byte, 0, segPlain)}
}

func (s *segReader) Read(p []byte) (int, error) {
	for s.off == len(s.plain) {
		if s.done {
			return 0, io.EOF
		}
		if err := s.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.plain[s.off:])
	s.off += n
	return n, nil
}

func (s *segReader) next() error {
	n, err := io.ReadFull(s.r, s.sealed)
	last := false
	switch {
	case err == io.ErrUnexpectedEOF:
		last = true
	case err == io.EOF:
		return fmt.Errorf("%w: cut off after segment %d", ErrBadBackup, s.n)
	case err != nil:
		return err
	default:
		if _, perr := s.r.Peek(1); perr == io.EOF {
			last = true
		} else if perr != nil {
			return perr
		}
	}
	plain, err := s.k.OpenSegment(s.plain[:0], s.sealed[:n], s.n, last)
	if err != nil || (last && len(plain) == 0) {
		return fmt.Errorf("%w: segment %d does not open (damaged, moved, or the file was cut or extended)", ErrBadBackup, s.n)
	}
	s.plain, s.off, s.done = plain, 0, last
	s.n++
	return nil
}
