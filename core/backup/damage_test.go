package backup

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/sxweb/sxweb/core/store/memstore"
)

// readAll reads a whole backup with a key derived once (the header is
// left as it is by the damage these tests do to the segments).
func readAll(b []byte, h *Header, k *Key) error {
	r := bytes.NewReader(b)
	if _, err := ReadHeader(r); err != nil {
		return err
	}
	br, err := NewReader(r, h, k)
	if err != nil {
		return err
	}
	return verify(br)
}

// sample is a backup of 3 segments and a bit.
func sample(t *testing.T) ([]byte, *Header, *Key) {
	src := memstore.New()
	fill(t, src, 200, 1000)
	b := export(t, src, nil)
	h, err := ParseHeader(b[:HeaderSize])
	if err != nil {
		t.Fatal(err)
	}
	k, err := h.Unlock([]byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	if err := readAll(b, h, k); err != nil {
		t.Fatalf("the sample does not read: %v", err)
	}
	if n := (len(b) - HeaderSize + segSealed - 1) / segSealed; n < 4 {
		t.Fatalf("the sample has %d segments", n)
	}
	return b, h, k
}

func wantBad(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrBadBackup) {
		t.Fatalf("%s: %v, want BAD_BACKUP", what, err)
	}
}

func TestTruncated(t *testing.T) {
	b, h, k := sample(t)
	for _, n := range []int{HeaderSize, HeaderSize + 1, HeaderSize + segSealed - 1, HeaderSize + segSealed,
		HeaderSize + segSealed + 1, HeaderSize + 2*segSealed, HeaderSize + 3*segSealed, len(b) - 17, len(b) - 1} {
		wantBad(t, "cut at "+strconv.Itoa(n), readAll(b[:n], h, k))
	}
	for _, n := range []int{0, 7, 8, HeaderSize - 1} {
		if _, err := ReadHeader(bytes.NewReader(b[:n])); !errors.Is(err, ErrBadBackup) {
			t.Fatalf("header cut at %d: %v", n, err)
		}
	}
}

func TestExtended(t *testing.T) {
	b, h, k := sample(t)
	wantBad(t, "one byte more", readAll(append(bytes.Clone(b), 0), h, k))
	last := b[HeaderSize+3*segSealed:]
	wantBad(t, "the last segment twice", readAll(append(bytes.Clone(b), last...), h, k))
}

func TestReordered(t *testing.T) {
	b, h, k := sample(t)
	seg := func(i int) []byte { return b[HeaderSize+i*segSealed : HeaderSize+(i+1)*segSealed] }
	swapped := append(append(append(bytes.Clone(b[:HeaderSize]), seg(1)...), seg(0)...), b[HeaderSize+2*segSealed:]...)
	wantBad(t, "segments 0 and 1 swapped", readAll(swapped, h, k))
	dropped := append(bytes.Clone(b[:HeaderSize+segSealed]), b[HeaderSize+2*segSealed:]...)
	wantBad(t, "segment 1 dropped", readAll(dropped, h, k))
	doubled := append(bytes.Clone(b[:HeaderSize+2*segSealed]), b[HeaderSize+segSealed:]...)
	wantBad(t, "segment 1 twice", readAll(doubled, h, k))
}

// A bit flipped anywhere in the segments: first, last and middle bytes of
// each, and a stride through all of them.
func TestTampered(t *testing.T) {
	b, h, k := sample(t)
	var at []int
	for i := HeaderSize; i < len(b); i += 997 {
		at = append(at, i)
	}
	for s := HeaderSize; s < len(b); s += segSealed {
		end := min(s+segSealed, len(b))
		at = append(at, s, s+1, (s+end)/2, end-1)
	}
	for _, i := range at {
		bad := bytes.Clone(b)
		bad[i] ^= 0x20
		wantBad(t, "byte "+strconv.Itoa(i)+" flipped", readAll(bad, h, k))
	}
}

// The header: a changed byte is BAD_BACKUP where the parser sees it, and
// otherwise fails the MAC (BAD_PASSPHRASE: a changed salt or cost cannot
// be told from a wrong passphrase) or, in the nonce, the first segment.
func TestHeaderForged(t *testing.T) {
	src := memstore.New()
	fill(t, src, 3, 10)
	b := export(t, src, nil)
	for i := 0; i < HeaderSize; i++ {
		bad := bytes.Clone(b)
		bad[i] ^= 0x01
		_, err := importBytes(bad, pass, target(memstore.New(), nil), ImportOptions{})
		if !errors.Is(err, ErrBadBackup) && !errors.Is(err, ErrBadPassphrase) && !errors.Is(err, ErrSchemaTooNew) {
			t.Fatalf("header byte %d flipped: %v", i, err)
		}
		if err == nil {
			t.Fatalf("header byte %d flipped: imported", i)
		}
	}
	if _, err := importBytes([]byte("not a backup at all, just some text of some length............................................"),
		pass, target(memstore.New(), nil), ImportOptions{}); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("text: %v", err)
	}
	if _, err := importBytes(nil, pass, target(memstore.New(), nil), ImportOptions{}); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("nothing: %v", err)
	}
}
