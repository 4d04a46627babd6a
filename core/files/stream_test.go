package files

import (
	"bytes"
	"crypto/rand"
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
