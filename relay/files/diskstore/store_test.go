package diskstore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/files"
)

var ctx = context.Background()

func ok([32]byte) error { return nil }

// What a crash leaves is cleaned up when the store opens: uploads in
// progress, and chunk files without an uploaded record (a crash between
// the rename and its commit, or between a deletion's commit and the
// file's removal). Uploaded chunks and the bytes count stay.
func TestOpenCleansUpAfterACrash(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := bytes.Repeat([]byte{1}, 32)
	sid, rids, err := s.Create(ctx, files.NewChunk{SenderKey: key, RecipientKeys: [][]byte{key}, Size: 65536, Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte{2}, 65536)
	if err := s.Put(ctx, sid, bytes.NewReader(data), ok); err != nil {
		t.Fatal(err)
	}
	pending, _, err := s.Create(ctx, files.NewChunk{SenderKey: key, Size: 65536, Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("bad signature")
	if err := s.Put(ctx, pending, bytes.NewReader(data), func([32]byte) error { return refused }); err != refused {
		t.Fatalf("a refused upload: %v", err)
	}
	if ents, _ := os.ReadDir(s.tmp); len(ents) != 0 {
		t.Fatalf("a refused upload left %d files", len(ents))
	}
	s.Close()
	// what a crash leaves
	for _, p := range []string{filepath.Join(dir, "tmp", "up-123"), filepath.Join(dir, "chunks", "00112233445566778899aabbccddeeff")} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	chunks, _ := os.ReadDir(s.chunks)
	tmp, _ := os.ReadDir(s.tmp)
	if len(chunks) != 1 || len(tmp) != 0 || s.Stored() != 65536 {
		t.Fatalf("after reopening: %d chunk files (want 1), %d in tmp (want 0), %d bytes stored", len(chunks), len(tmp), s.Stored())
	}
	rc, n, err := s.Open(ctx, rids[0])
	if err != nil || n != 65536 {
		t.Fatal(n, err)
	}
	got := make([]byte, n)
	rc.Read(got)
	rc.Close()
	if !bytes.Equal(got, data) {
		t.Fatal("the chunk's bytes changed")
	}
	if _, _, err := s.Open(ctx, []byte("nobody")); !errors.Is(err, files.ErrNotFound) {
		t.Fatal(err)
	}
}
