package backup

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sxweb/sxweb/core/store"
)

func seeds(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(pattern)
	if len(paths) == 0 {
		f.Fatalf("no seeds %s (go test -run WriteVectors -update)", pattern)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseHeader: the parser never panics, and what it accepts marshals
// back to exactly its input.
func FuzzParseHeader(f *testing.F) {
	seeds(f, "testdata/header_*.bin")
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if !bytes.Equal(h.Marshal(), b) {
			t.Fatalf("parse → marshal changed the header")
		}
	})
}

// FuzzEntries: the entry decoder (what the segments hold, in clear) never
// panics nor allocates past its limits, and the records it accepts come in
// strictly increasing order and re-encode to the bytes they came from.
func FuzzEntries(f *testing.F) {
	seeds(f, "testdata/entries_*.bin")
	f.Fuzz(func(t *testing.T, b []byte) {
		d := &decoder{r: bufio.NewReader(bytes.NewReader(b)), withFiles: true}
		if _, err := d.info(); err != nil {
			return
		}
		var last *store.Pos
		for {
			e, err := d.next()
			if err != nil {
				return
			}
			if r := e.Record; r != nil {
				if !bytes.Contains(b, appendRecord(nil, r.Bucket, r.Key, r.Value)) {
					t.Fatal("a record that is not in the input")
				}
				if !after(last, r.Bucket, r.Key) {
					t.Fatal("records out of order")
				}
				last = &store.Pos{Bucket: r.Bucket, Key: r.Key}
			}
		}
	})
}
