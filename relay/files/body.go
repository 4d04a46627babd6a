package files

import (
	"crypto/sha256"
	"errors"
	"io"
)

// ReadExactly copies exactly n bytes of a chunk's body to w and returns
// their SHA-256: ErrSize when the body is shorter or longer, its own
// errors wrapped as BodyError (the client's, not the store's), w's as
// they are. Stores use it in Put.
func ReadExactly(w io.Writer, body io.Reader, n int) ([32]byte, error) {
	h := sha256.New()
	tw := &teeWriter{h: h, w: w}
	got, err := io.CopyN(tw, body, int64(n))
	switch {
	case tw.err != nil:
		return [32]byte{}, tw.err
	case errors.Is(err, io.EOF) && got < int64(n):
		return [32]byte{}, ErrSize
	case err != nil:
		return [32]byte{}, BodyError(err)
	}
	var one [1]byte
	if k, _ := io.ReadFull(body, one[:]); k > 0 {
		return [32]byte{}, ErrSize
	}
	var d [32]byte
	h.Sum(d[:0])
	return d, nil
}

// teeWriter writes to the hash and w, keeping w's error apart from the
// body's.
type teeWriter struct {
	h   io.Writer
	w   io.Writer
	err error
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.h.Write(p)
	n, err := t.w.Write(p)
	if err != nil {
		t.err = err
	}
	return n, err
}
