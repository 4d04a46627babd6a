//go:build !js

package idbstore

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzUnits: the byte-string codec round-trips every byte sequence and
// never produces the List separator. (Native only: the browser test binary
// has no file system for the corpus.)
func FuzzUnits(f *testing.F) {
	for _, s := range []string{"", "a", "\xff\x00\xc4\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := fromUnits([]byte(toUnits(b)))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %x = %x, %v", b, got, err)
		}
		if strings.Contains(toUnits(b), sep) {
			t.Fatalf("byte string of %x contains the separator", b)
		}
	})
}
