//go:build js && wasm

package idbstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/core/store/storetest"
)

func sealer(t *testing.T, s *Store) *atrest.Store {
	t.Helper()
	w, err := atrest.KeyWrapper(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	at, err := atrest.Open(context.Background(), s, atrest.Options{Device: w})
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// The at-rest decorator passes the conformance suites over IndexedDB too.
func TestAtRestConformance(t *testing.T) {
	open := func(t *testing.T) store.Store {
		s, _ := openFresh(t)
		return sealer(t, s)
	}
	storetest.Run(t, open)
	storetest.RunScan(t, open)
	storetest.RunTail(t, open)
}

func readAll(t *testing.T, f *Files, id string, size int) []byte {
	t.Helper()
	buf := make([]byte, size)
	if n, err := f.ReadAt(context.Background(), id, buf, 0); err != nil || n != size {
		t.Fatalf("ReadAt %s: %d, %v", id, n, err)
	}
	return buf
}

// Sealed parts: what is stored is sealed, and reads at any offset, Size
// and Blob give the plaintext.
func TestSealedParts(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	f := s.SealedFiles(sealer(t, s))
	var all []byte
	for n, size := range []int{100, 70000, 3} {
		p := make([]byte, size)
		rand.Read(p)
		all = append(all, p...)
		if err := f.WritePart(ctx, "file-1", n, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ off, n int }{{0, 100}, {50, 100}, {99, 70002}, {70090, 13}, {0, len(all)}} {
		buf := make([]byte, c.n)
		if got, err := f.ReadAt(ctx, "file-1", buf, int64(c.off)); err != nil || got != c.n || !bytes.Equal(buf, all[c.off:c.off+c.n]) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", c.off, c.n, got, err)
		}
	}
	if n, err := f.Size(ctx, "file-1"); err != nil || n != int64(len(all)) {
		t.Fatalf("Size = %d, %v", n, err)
	}
	raw, err := s.Files().parts(ctx, "file-1")
	if err != nil || len(raw) != 3 || !raw[1].sealed || raw[1].size != 70000+atrest.Overhead {
		t.Fatalf("stored parts %+v, %v", raw, err)
	}
	stored := make([]byte, raw[0].size)
	readSlice(ctx, raw[0].blob, 0, raw[0].size, stored)
	if bytes.Contains(stored, all[:40]) {
		t.Fatal("a part in clear")
	}
	checkBlob(t, f, "file-1", all)
}

func checkBlob(t *testing.T, f *Files, id string, want []byte) {
	t.Helper()
	ctx := context.Background()
	b, err := f.File(ctx, id, "f.txt", "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := readSlice(ctx, b, 0, int64(len(want)), got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Blob of %s: %v, equal %v", id, err, bytes.Equal(got, want))
	}
	if n, _ := blobSize(b); n != int64(len(want)) {
		t.Fatalf("Blob of %d bytes, want %d", n, len(want))
	}
}

// A file to send (a page's Blob) is copied into sealed parts of PartSize.
func TestPutBlobSealed(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	f := s.SealedFiles(sealer(t, s))
	data := make([]byte, 2*PartSize+5)
	rand.Read(data)
	blob, err := newBlob(data, "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.PutBlob(ctx, "sent", blob); err != nil {
		t.Fatal(err)
	}
	raw, _ := s.Files().parts(ctx, "sent")
	if len(raw) != 3 || !raw[0].sealed || !raw[2].sealed {
		t.Fatalf("parts %+v", raw)
	}
	if !bytes.Equal(readAll(t, f, "sent", len(data)), data) {
		t.Fatal("ReadAt")
	}
	checkBlob(t, f, "sent", data)
	empty, _ := newBlob(nil, "")
	if err := f.PutBlob(ctx, "empty", empty); err != nil {
		t.Fatal(err)
	}
	if n, err := f.Size(ctx, "empty"); err != nil || n != 0 {
		t.Fatalf("empty file: %d, %v", n, err)
	}
}

// SealAll seals the parts of an older database in place, resuming after
// a stop: a received file's parts, and a sent file stored whole, which is
// cut into PartSize parts (a stop after parts 2 and 1, before part 0).
func TestSealAll(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	clear := s.Files()
	var recv []byte
	for n, size := range []int{1000, 2000} {
		p := make([]byte, size)
		rand.Read(p)
		recv = append(recv, p...)
		clear.WritePart(ctx, "recv", n, p)
	}
	sent := make([]byte, 2*PartSize+77)
	rand.Read(sent)
	blob, _ := newBlob(sent, "application/pdf")
	clear.PutBlob(ctx, "sent", blob)
	f := s.SealedFiles(sealer(t, s))
	if err := f.copySealed(ctx, "sent", blob, int64(len(sent)), 1); err != nil { // stopped before part 0
		t.Fatal(err)
	}
	if err := f.SealAll(ctx); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]byte{"recv": recv, "sent": sent} {
		raw, _ := s.Files().parts(ctx, id)
		for _, p := range raw {
			if !p.sealed {
				t.Fatalf("%s: part %d in clear", id, p.n)
			}
		}
		if !bytes.Equal(readAll(t, f, id, len(want)), want) {
			t.Fatalf("%s after SealAll", id)
		}
		checkBlob(t, f, id, want)
	}
	if err := f.SealAll(ctx); err != nil { // nothing left to do
		t.Fatal(err)
	}
}
