package files

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	mrand "math/rand/v2"
	"testing"
)

// roundTrip encrypts a file chunk by chunk (in random order: each chunk
// stands alone) and decrypts the chunks' data in order, resuming from a
// saved state at every chunk.
func roundTrip(t *testing.T, plain []byte) {
	t.Helper()
	k, _ := NewKeys()
	size := int64(len(plain))
	layout, err := Layout(size)
	if err != nil {
		t.Fatal(err)
	}
	var enc int64
	chunks := make([][]byte, len(layout))
	for _, i := range mrand.Perm(len(layout)) {
		c, err := k.EncryptChunk(bytes.NewReader(plain), size, layout[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != layout[i].Size || !isChunkSize(len(c)) {
			t.Fatalf("chunk %d is %d bytes, want %d", i, len(c), layout[i].Size)
		}
		chunks[i] = c
	}
	for _, c := range layout {
		enc += int64(c.Len)
	}
	if enc != EncryptedSize(size) {
		t.Fatalf("chunks hold %d bytes, the encrypted file is %d", enc, EncryptedSize(size))
	}
	var got []byte
	st := State{}
	for i, c := range chunks {
		b, _ := json.Marshal(st) // a reload between chunks
		var again State
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatal(err)
		}
		d := NewDecryptor(k, size, again)
		p, err := d.Write(c[:layout[i].Len])
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		got = append(got, p...)
		st = d.State()
		if d.Done() != (i == len(chunks)-1) {
			t.Fatalf("done after chunk %d of %d: %v", i+1, len(chunks), d.Done())
		}
	}
	if !bytes.Equal(got, plain) {
		t.Fatalf("%d bytes back, want %d", len(got), len(plain))
	}
}

func TestRoundTripSizes(t *testing.T) {
	for _, n := range []int{0, 1, SegmentSize - 1, SegmentSize, SegmentSize + 1, 64<<10 - 16, 64 << 10,
		MaxChunk - 3*Overhead, MaxChunk, MaxChunk + 1, 3*MaxChunk + 12345} {
		plain := make([]byte, n)
		rand.Read(plain)
		roundTrip(t, plain)
	}
}

// A chunk changed on the relay, chunks swapped, or the file cut short:
// decryption fails or never completes; nothing is taken as the file.
func TestTamperedReorderedTruncated(t *testing.T) {
	k, _ := NewKeys()
	plain := make([]byte, 2*MaxChunk+100)
	rand.Read(plain)
	size := int64(len(plain))
	layout, _ := Layout(size)
	chunk := func(i int) []byte {
		c, err := k.EncryptChunk(bytes.NewReader(plain), size, layout[i])
		if err != nil {
			t.Fatal(err)
		}
		return c[:layout[i].Len]
	}
	c0 := chunk(0)
	c0[1000] ^= 1
	if _, err := NewDecryptor(k, size, State{}).Write(c0); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered chunk: %v", err)
	}
	d := NewDecryptor(k, size, State{})
	if _, err := d.Write(chunk(1)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("chunks out of order: %v", err)
	}
	d = NewDecryptor(k, size, State{})
	for i := range 2 {
		if _, err := d.Write(chunk(i)); err != nil {
			t.Fatal(err)
		}
	}
	if d.Done() {
		t.Fatal("done without the last chunk")
	}
	other, _ := NewKeys()
	if _, err := NewDecryptor(other, size, State{}).Write(chunk(0)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong key: %v", err)
	}
}

func sampleDescription(t testing.TB, size int64) *Description {
	k, _ := NewKeys()
	layout, err := Layout(size)
	if err != nil {
		t.Fatal(err)
	}
	d := &Description{Relay: "https://relay.example/files", Size: size, Keys: k}
	for i, c := range layout {
		dg := sha256.Sum256([]byte{byte(i)})
		d.Chunks = append(d.Chunks, DescChunk{Size: c.Size, Len: c.Len, Digest: dg[:], ID: bytes.Repeat([]byte{byte(i + 1)}, 24), Key: bytes.Repeat([]byte{7}, 32)})
	}
	d.Digest = FileDigest(d.Chunks)
	return d
}

func TestDescriptionRoundTripAndChecks(t *testing.T) {
	d := sampleDescription(t, 10<<20)
	b, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseDescription(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != d.Size || len(got.Chunks) != len(d.Chunks) || got.Keys != d.Keys || got.Relay != d.Relay {
		t.Fatalf("parsed %+v", got)
	}
	forge := func(f func(j map[string]any)) []byte {
		var j map[string]any
		json.Unmarshal(b, &j)
		f(j)
		out, _ := json.Marshal(j)
		return out
	}
	for name, bad := range map[string][]byte{
		"version":      forge(func(j map[string]any) { j["v"] = 2 }),
		"size":         forge(func(j map[string]any) { j["size"] = 30 << 20 }),
		"relay":        forge(func(j map[string]any) { j["relay"] = "javascript:alert(1)" }),
		"digest":       forge(func(j map[string]any) { j["digest"] = "AAAA" }),
		"chunk length": forge(func(j map[string]any) { j["chunks"].([]any)[4].(map[string]any)["len"] = 12 }),
		"not json":     []byte("{"),
	} {
		if _, err := ParseDescription(bad); !errors.Is(err, ErrBadDescription) {
			t.Errorf("%s: %v, want ErrBadDescription", name, err)
		}
	}
}
