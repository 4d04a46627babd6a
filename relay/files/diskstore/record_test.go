package diskstore

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the fuzz seeds in testdata/record")

func sampleRecords() map[string]record {
	r := record{size: 65536, expires: 1_800_000_000_000, key: bytes.Repeat([]byte{7}, keyLen), recipients: 3}
	copy(r.name[:], "0123456789abcdef")
	up := r
	up.uploaded, up.size, up.recipients = true, 4<<20, 4096
	copy(up.digest[:], bytes.Repeat([]byte{9}, 32))
	return map[string]record{"new": r, "uploaded": up}
}

// TestWriteSeeds rewrites the seeds (go test -run TestWriteSeeds -update).
func TestWriteSeeds(t *testing.T) {
	if !*update {
		return
	}
	for name, r := range sampleRecords() {
		if err := os.WriteFile("testdata/record/"+name+".bin", r.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for name, r := range sampleRecords() {
		got, err := decodeRecord(r.encode())
		if err != nil || !bytes.Equal(got.encode(), r.encode()) {
			t.Fatalf("%s: %+v %v", name, got, err)
		}
	}
}

// FuzzDecodeRecord: a damaged record is an error, never a panic, and
// what decodes encodes back to the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	ps, _ := filepath.Glob("testdata/record/*.bin")
	if len(ps) == 0 {
		f.Fatal("no seeds in testdata/record")
	}
	for _, p := range ps {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.encode(), b) {
			t.Fatalf("%x decodes to %+v, which encodes to %x", b, r, r.encode())
		}
	})
}
