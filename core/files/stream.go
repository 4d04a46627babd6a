package files

import (
	"errors"
	"io"
)

// Source is a file's plaintext, read at any offset (a browser Blob's
// slices, an os.File): a chunk is made from the segments it covers, so an
// upload can resume at any chunk after a reload.
type Source interface {
	ReadAt(p []byte, off int64) (int, error)
}

const sealedSegment = SegmentSize + Overhead

// segments is the number of segments of a file of size bytes.
func segments(size int64) uint64 {
	return uint64((EncryptedSize(size) + sealedSegment - 1) / sealedSegment)
}

// EncryptChunk makes chunk c (padded to its size) of a file of size bytes
// read from src. The same keys and plaintext always give the same bytes.
// The plaintext the chunk covers (a little more than c.Len) is read with
// one ReadAt: a browser's store answers each read with a transaction and a
// Blob slice, so reading it a segment at a time made uploads crawl.
func (k *Keys) EncryptChunk(src Source, size int64, c Chunk) ([]byte, error) {
	last := segments(size) - 1
	first := uint64(c.Offset / sealedSegment)
	end := uint64((c.Offset + int64(c.Len) - 1) / sealedSegment) // the chunk's last segment
	if c.Len <= 0 || end > last {
		return nil, errors.New("files: chunk beyond the file")
	}
	from := int64(first) * SegmentSize
	plain := make([]byte, min(int64(end+1)*SegmentSize, size)-from)
	if n, err := src.ReadAt(plain, from); err != nil && !(errors.Is(err, io.EOF) && n == len(plain)) {
		return nil, err
	}
	out := make([]byte, 0, c.Size)
	sealed := make([]byte, 0, sealedSegment)
	skip := int(c.Offset % sealedSegment)
	for i := first; i <= end; i++ {
		seg := plain[int64(i-first)*SegmentSize : min(int64(i-first+1)*SegmentSize, int64(len(plain)))]
		sealed = k.SealSegment(sealed[:0], seg, i, i == last)
		take := sealed[skip:]
		skip = 0
		out = append(out, take[:min(len(take), c.Len-len(out))]...)
	}
	return out[:c.Size], nil
}

// Decryptor opens a file's encrypted stream as its chunks' data arrive in
// order, yielding the plaintext of every segment completed. Its State
// lets a download resume after a reload at the next chunk.
type Decryptor struct {
	keys Keys
	size int64
	st   State
}

// State is where a download stands: the next segment to open, and the
// bytes of it received so far (less than one sealed segment).
type State struct {
	Segment uint64 `json:"segment"`
	Partial []byte `json:"partial,omitempty"`
}

// NewDecryptor starts (or, from a saved State, resumes) decrypting a file
// of size bytes.
func NewDecryptor(k Keys, size int64, st State) *Decryptor {
	return &Decryptor{keys: k, size: size, st: st}
}

// State is the decryptor's state after the data given so far.
func (d *Decryptor) State() State { return d.st }

// Write takes the next data of the encrypted stream and returns the
// plaintext of the segments it completed (the last segment opens when all
// its bytes are in). It opens data where it lies and writes the plaintext
// into one buffer made to size: the copies it makes are the plaintext and
// at most one sealed segment (the one the previous data left unfinished,
// and the one this data leaves). Opening into a growing slice instead
// (secretbox reallocates to the exact size every time) cost 128 MiB of
// garbage per 4 MiB chunk.
func (d *Decryptor) Write(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(d.st.Partial)+len(data))
	if len(d.st.Partial) > 0 {
		need := d.want() - len(d.st.Partial)
		if len(data) < need {
			d.st.Partial = append(append([]byte(nil), d.st.Partial...), data...)
			return out, nil
		}
		seg := append(append(make([]byte, 0, need+len(d.st.Partial)), d.st.Partial...), data[:need]...)
		var err error
		if out, err = d.open(out, seg); err != nil {
			return nil, err
		}
		data, d.st.Partial = data[need:], nil
	}
	for len(data) > 0 && !d.Done() {
		want := d.want()
		if len(data) < want {
			break
		}
		var err error
		if out, err = d.open(out, data[:want]); err != nil {
			return nil, err
		}
		data = data[want:]
	}
	if d.Done() && len(data) > 0 {
		return nil, errors.New("files: data beyond the end of the file")
	}
	d.st.Partial = append([]byte(nil), data...)
	if len(d.st.Partial) == 0 {
		d.st.Partial = nil
	}
	return out, nil
}

// want is the size of the next sealed segment.
func (d *Decryptor) want() int {
	if last := segments(d.size) - 1; d.st.Segment == last {
		return int(EncryptedSize(d.size) - int64(last)*sealedSegment)
	}
	return sealedSegment
}

// open opens the next segment, appending its plaintext to out.
func (d *Decryptor) open(out, sealed []byte) ([]byte, error) {
	out, err := d.keys.OpenSegment(out, sealed, d.st.Segment, d.st.Segment == segments(d.size)-1)
	if err != nil {
		return nil, err
	}
	d.st.Segment++
	return out, nil
}

// Done reports whether every segment has been opened.
func (d *Decryptor) Done() bool { return d.st.Segment >= segments(d.size) }
