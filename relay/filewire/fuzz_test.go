package filewire

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzVerifyHeaders: whatever a client puts in X-Date and Authorization
// (seeds: testdata/headers, "date\nauthorization"), checking never panics
// and accepts only the real signature, at a date within the skew.
func FuzzVerifyHeaders(f *testing.F) {
	ps, _ := filepath.Glob("testdata/headers/*.txt")
	if len(ps) == 0 {
		f.Fatal("no seeds in testdata/headers")
	}
	for _, p := range ps {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		date, auth, _ := strings.Cut(string(b), "\n")
		f.Add(date, auth)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	now := time.Unix(1_800_000_000, 0)
	body := []byte("body")
	good, goodAuth := Sign(priv, "PUT", "/files/chunk/x", now, body)
	f.Add(good, goodAuth)
	f.Fuzz(func(t *testing.T, date, auth string) {
		ok := Verify(pub, "PUT", "/files/chunk/x", date, auth, now, body)
		if ok && !DateOK(date, now) {
			t.Fatalf("accepted the date %q", date)
		}
		if ok && auth != goodAuth { // Ed25519 signatures are not malleable, their encoding is checked
			t.Fatalf("accepted the signature %q", auth)
		}
	})
}
