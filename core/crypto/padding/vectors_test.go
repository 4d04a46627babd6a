package padding

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A vector file: "# comment" lines and "key: value" fields:
// msg (hex, "-" for empty) and padded (hex) for a valid padding, or
// padded and error (a code) for an input Unpad must reject.
func readVectors(t testing.TB) map[string]map[string]string {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no vectors in testdata/")
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ": "); ok && !strings.HasPrefix(k, "#") {
				fields[k] = v
			}
		}
		out[filepath.Base(f)] = fields
	}
	return out
}

func unhex(t testing.TB, s string) []byte {
	if s == "-" {
		return nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVectors(t *testing.T) {
	for name, v := range readVectors(t) {
		padded := unhex(t, v["padded"])
		got, err := Unpad(padded)
		if code := v["error"]; code != "" {
			var e *Error
			if !errors.As(err, &e) || e.Code != code {
				t.Errorf("%s: Unpad error %v, want %s", name, err, code)
			}
			continue
		}
		msg := unhex(t, v["msg"])
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("%s: Unpad = %x, %v", name, got, err)
		}
		if p, err := Pad(msg); err != nil || !bytes.Equal(p, padded) {
			t.Errorf("%s: Pad differs (%v)", name, err)
		}
	}
}

func FuzzUnpad(f *testing.F) {
	for _, v := range readVectors(f) {
		f.Add(unhex(f, v["padded"]))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msg, err := Unpad(b)
		if err != nil {
			return
		}
		if p, err := Pad(msg); err != nil || !bytes.Equal(p, b) {
			t.Fatalf("Pad(Unpad(b)) != b (%v)", err)
		}
	})
}
