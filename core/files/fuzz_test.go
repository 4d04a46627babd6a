package files

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseDescription: the parser never panics, and what it accepts
// marshals back to a description it accepts again, equal.
func FuzzParseDescription(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/descr_*.json")
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata")
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDescription(b)
		if err != nil {
			return
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseDescription(out)
		if err != nil {
			t.Fatalf("re-marshalled description refused: %v", err)
		}
		if again.Size != d.Size || len(again.Chunks) != len(d.Chunks) || again.Keys != d.Keys {
			t.Fatal("not stable")
		}
	})
}
