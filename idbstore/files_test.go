//go:build js && wasm

package idbstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"
)

// File bytes in parts: a part written, read back at any offset across
// parts, joined into one Blob of the right size and type, and deleted.
func TestFilesParts(t *testing.T) {
	s, _ := openFresh(t)
	f := s.Files()
	ctx := context.Background()
	var all []byte
	for n, size := range []int{100, 70000, 3} {
		part := make([]byte, size)
		rand.Read(part)
		all = append(all, part...)
		if err := f.WritePart(ctx, "file-1", n, part); err != nil {
			t.Fatalf("WritePart %d: %v", n, err)
		}
	}
	if err := f.WritePart(ctx, "file-2", 0, []byte("other")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ off, n int }{{0, 100}, {50, 100}, {99, 70002}, {70090, 13}} {
		buf := make([]byte, c.n)
		got, err := f.ReadAt(ctx, "file-1", buf, int64(c.off))
		if err != nil || got != c.n || !bytes.Equal(buf, all[c.off:c.off+c.n]) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", c.off, c.n, got, err)
		}
	}
	if _, err := f.ReadAt(ctx, "file-1", make([]byte, 10), int64(len(all)-5)); !errors.Is(err, io.EOF) {
		t.Fatalf("a read past the end: %v", err)
	}
	if n, err := f.Size(ctx, "file-1"); err != nil || n != int64(len(all)) {
		t.Fatalf("Size = %d, %v", n, err)
	}
	b, err := f.File(ctx, "file-1", "cat.png", "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := blobSize(b); n != int64(len(all)) {
		t.Fatalf("Blob size %d", n)
	}
	ty, _ := b.Get("type")
	nm, _ := b.Get("name")
	if s, _ := ty.String(); s != "image/png" {
		t.Fatalf("File type %q", s)
	}
	if s, _ := nm.String(); s != "cat.png" {
		t.Fatalf("File name %q", s)
	}
	if err := f.Delete(ctx, "file-1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.Size(ctx, "file-1"); n != 0 {
		t.Fatalf("%d bytes left after Delete", n)
	}
	if n, _ := f.Size(ctx, "file-2"); n != 5 {
		t.Fatal("Delete took another file's parts")
	}
}
