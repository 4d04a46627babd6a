package files

import "fmt"

// ChunkSizes are the sizes a chunk may have on the relay.
var ChunkSizes = []int{64 << 10, 256 << 10, 1 << 20, 4 << 20}

// MaxChunk is the largest chunk size.
const MaxChunk = 4 << 20

// MaxChunks bounds the chunks of one file (64 GiB).
const MaxChunks = 16384

// Chunk is one chunk of an encrypted file: its size on the relay and the
// bytes of the encrypted stream it holds (the rest is zero padding).
type Chunk struct {
	Size   int   // one of ChunkSizes
	Len    int   // data bytes
	Offset int64 // of its data in the encrypted stream
}

// Layout cuts the encrypted stream of a file of size bytes into chunks:
// MaxChunk chunks while at least that much is left, then each time the
// largest size the rest fills, and last the smallest size that holds what
// remains: a file costs its size plus less than 64 KiB of padding (a
// small file: one 64 KiB chunk).
func Layout(size int64) ([]Chunk, error) {
	if size < 0 {
		return nil, fmt.Errorf("files: size %d", size)
	}
	enc := EncryptedSize(size)
	if n := (enc + MaxChunk - 1) / MaxChunk; n > MaxChunks {
		return nil, fmt.Errorf("files: %d bytes is above the largest file (%d chunks)", size, MaxChunks)
	}
	var out []Chunk
	for off := int64(0); off < enc; {
		rest := enc - off
		c := Chunk{Size: MaxChunk, Len: MaxChunk, Offset: off}
		if rest < MaxChunk {
			c.Size = fillFor(int(rest))
			c.Len = min(c.Size, int(rest))
		}
		out = append(out, c)
		off += int64(c.Len)
	}
	if len(out) > MaxChunks { // the smaller chunks of the tail count too (a description takes MaxChunks)
		return nil, fmt.Errorf("files: %d bytes is above the largest file (%d chunks)", size, MaxChunks)
	}
	return out, nil
}

// fillFor is the largest chunk size n bytes fill, or, when n fills none,
// the smallest.
func fillFor(n int) int {
	for i := len(ChunkSizes) - 1; i >= 0; i-- {
		if n >= ChunkSizes[i] {
			return ChunkSizes[i]
		}
	}
	return ChunkSizes[0]
}

// sizeFor is the smallest chunk size that holds n bytes.
func sizeFor(n int) int {
	for _, s := range ChunkSizes {
		if n <= s {
			return s
		}
	}
	return MaxChunk
}

func isChunkSize(n int) bool {
	for _, s := range ChunkSizes {
		if n == s {
			return true
		}
	}
	return false
}
