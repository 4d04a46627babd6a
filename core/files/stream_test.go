package files

import (
	"bytes"
	"crypto/rand"
	"runtime"
	"testing"
)

// countingSource records the reads an encryption makes.
type countingSource struct {
	r     *bytes.Reader
	reads []int
}

func (s *countingSource) ReadAt(p []byte, off int64) (int, error) {
	s.reads = append(s.reads, len(p))
	return s.r.ReadAt(p, off)
}

// Encrypting a chunk reads its plaintext once, and only what the chunk
// covers: in the browser each read is a store transaction and a Blob
// slice (per segment, a 100 MB upload crawled at 0.4 MB/s), and what is
// read is what sits in wasm memory (a chunk's worth, never the file).
func TestEncryptChunkReadsItsChunkOnce(t *testing.T) {
	k, _ := NewKeys()
	for _, n := range []int{0, 1, SegmentSize, MaxChunk, 5*MaxChunk + 777} {
		plain := make([]byte, n)
		rand.Read(plain)
		layout, err := Layout(int64(n))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range layout {
			src := &countingSource{r: bytes.NewReader(plain)}
			if _, err := k.EncryptChunk(src, int64(n), c); err != nil {
				t.Fatal(err)
			}
			if len(src.reads) != 1 {
				t.Fatalf("%d bytes, chunk %d: %d reads, want 1", n, i, len(src.reads))
			}
			if got, most := src.reads[0], c.Len+2*SegmentSize; got > most {
				t.Fatalf("%d bytes, chunk %d (%d data bytes): read %d bytes, more than %d", n, i, c.Len, got, most)
			}
		}
	}
}

// A chunk past the end of the file is refused, not read.
func TestEncryptChunkBeyondTheFile(t *testing.T) {
	k, _ := NewKeys()
	src := &countingSource{r: bytes.NewReader(make([]byte, 100))}
	if _, err := k.EncryptChunk(src, 100, Chunk{Size: 64 << 10, Len: 1000, Offset: 1 << 20}); err == nil {
		t.Fatal("a chunk beyond the file was encrypted")
	}
	if len(src.reads) != 0 {
		t.Fatalf("%d reads for a chunk beyond the file", len(src.reads))
	}
}

// The stream decrypts the same however its data is cut (pieces shorter
// than a segment, or across segments), resumed from its saved state
// after every piece.
func TestDecryptorAnyPieces(t *testing.T) {
	k, _ := NewKeys()
	for _, n := range []int{0, 1, SegmentSize, 3*SegmentSize + 5, MaxChunk + 9} {
		plain := make([]byte, n)
		rand.Read(plain)
		enc := encryptAll(t, k, plain)
		for _, cut := range []int{7, 1000, SegmentSize - 1, sealedSegment, sealedSegment + 1, 1 << 20} {
			if cut < 1000 && n > SegmentSize {
				continue // a few bytes at a time through megabytes: slow, and no other case
			}
			st := State{}
			var got []byte
			for off := 0; off < len(enc); off += cut {
				d := NewDecryptor(k, int64(n), st) // resumed from the state saved after each piece
				p, err := d.Write(enc[off:min(off+cut, len(enc))])
				if err != nil {
					t.Fatalf("%d bytes in pieces of %d: %v", n, cut, err)
				}
				got, st = append(got, p...), d.State()
			}
			if d := NewDecryptor(k, int64(n), st); !d.Done() || !bytes.Equal(got, plain) {
				t.Fatalf("%d bytes in pieces of %d: done %v, %d bytes back", n, cut, d.Done(), len(got))
			}
		}
	}
}

// encryptAll is a file's whole encrypted stream (its chunks' data).
func encryptAll(t *testing.T, k Keys, plain []byte) []byte {
	t.Helper()
	layout, err := Layout(int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	var enc []byte
	for _, c := range layout {
		b, err := k.EncryptChunk(bytes.NewReader(plain), int64(len(plain)), c)
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, b[:c.Len]...)
	}
	return enc
}

// stateAfter is the state after the stream's first bytes, in one write.
func stateAfter(t *testing.T, k Keys, n int, head []byte) State {
	t.Helper()
	d := NewDecryptor(k, int64(n), State{})
	if _, err := d.Write(head); err != nil {
		t.Fatal(err)
	}
	return d.State()
}

// Decrypting a 4 MiB chunk allocates its plaintext and little else:
// wasm memory never shrinks, so the garbage of one chunk is what a page
// keeps for good (opening into a growing slice made 128 MiB of it).
func TestDecryptorGarbage(t *testing.T) {
	k, _ := NewKeys()
	plain := make([]byte, 3*MaxChunk)
	enc := encryptAll(t, k, plain)
	st := stateAfter(t, k, len(plain), enc[:MaxChunk]) // mid-segment: a partial one carried over
	chunk := enc[MaxChunk : 2*MaxChunk]
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := NewDecryptor(k, int64(len(plain)), st).Write(chunk); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got, most := after.TotalAlloc-before.TotalAlloc, uint64(len(chunk)+4*sealedSegment); got > most {
		t.Fatalf("decrypting a chunk of %d bytes allocated %d bytes, more than %d", len(chunk), got, most)
	}
}
