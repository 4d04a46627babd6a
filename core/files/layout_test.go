package files

import "testing"

// A file costs its size plus less than 64 KiB of padding on the relay (a
// small one: one 64 KiB chunk), and its chunks hold its encrypted bytes
// exactly.
func TestLayoutPadding(t *testing.T) {
	for _, size := range []int64{0, 1, 70000, 1 << 20, 5<<20 + 123, 100 << 20, 1<<30 + 7} {
		cs, err := Layout(size)
		if err != nil {
			t.Fatal(err)
		}
		var stored, data int64
		for _, c := range cs {
			stored += int64(c.Size)
			data += int64(c.Len)
			if c.Len > c.Size || !isChunkSize(c.Size) {
				t.Fatalf("size %d: chunk %+v", size, c)
			}
		}
		if data != EncryptedSize(size) {
			t.Fatalf("size %d: chunks hold %d, encrypted %d", size, data, EncryptedSize(size))
		}
		if pad := stored - data; pad >= 64<<10 {
			t.Fatalf("size %d: %d bytes of padding", size, pad)
		}
	}
}

// Layout never makes more chunks than a description may hold: near the
// largest file the smaller chunks of its tail would push it over.
func TestLayoutAtTheLargestFile(t *testing.T) {
	refused := false
	for size := int64(MaxChunks-32) * MaxChunk; size < int64(MaxChunks+1)*MaxChunk; size += 1 << 16 {
		l, err := Layout(size)
		if err != nil {
			refused = true
			continue
		}
		if len(l) > MaxChunks {
			t.Fatalf("%d bytes: %d chunks, a description holds %d", size, len(l), MaxChunks)
		}
	}
	if !refused {
		t.Fatal("nothing refused past the largest file")
	}
}
