package files

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/sxweb/sxweb/relay/filewire"
)

// seeds reads the fuzz seeds matching pattern; a target without seeds
// fails rather than fuzzing from nothing.
func seeds(f *testing.F, pattern string) [][]byte {
	ps, _ := filepath.Glob(pattern)
	if len(ps) == 0 {
		f.Fatalf("no seeds match %s", pattern)
	}
	var out [][]byte
	for _, p := range ps {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzParsePath: any path after the prefix is a route with an id of the
// right length that prints back to the same path, or refused with a
// protocol code; never a panic.
func FuzzParsePath(f *testing.F) {
	for _, s := range seeds(f, "testdata/path/*.txt") {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, p string) {
		route, id, err := parsePath(p)
		if err != nil {
			if e, ok := err.(*errParse); !ok || filewire.Status(e.code) == 0 {
				t.Fatalf("%q: %v is not a protocol refusal", p, err)
			}
			return
		}
		if route == routeNew {
			if id != nil || p != routeNew {
				t.Fatalf("%q: /new with an id", p)
			}
			return
		}
		if len(id) != filewire.IDLen || route+base64.RawURLEncoding.EncodeToString(id) != p {
			t.Fatalf("%q: route %q id %x does not print back", p, route, id)
		}
	})
}

// FuzzParseNew: a body accepted has a 32-byte sender key, a chunk size
// and at most a request's recipients of 32 bytes each.
func FuzzParseNew(f *testing.F) {
	for _, s := range seeds(f, "testdata/new/*.json") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseNew(b)
		if err != nil {
			if _, ok := err.(*errParse); !ok {
				t.Fatalf("%v is not a protocol refusal", err)
			}
			return
		}
		if len(c.SenderKey) != 32 || !filewire.IsChunkSize(c.Size) || len(c.RecipientKeys) > filewire.MaxRecipientsPerRequest {
			t.Fatalf("accepted %+v", c)
		}
		for _, k := range c.RecipientKeys {
			if len(k) != 32 {
				t.Fatalf("accepted a %d-byte recipient key", len(k))
			}
		}
	})
}

// FuzzParseAdd: a body accepted has 1 to 1,024 keys of 32 bytes.
func FuzzParseAdd(f *testing.F) {
	for _, s := range seeds(f, "testdata/add/*.json") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := parseAdd(b)
		if err != nil {
			if _, ok := err.(*errParse); !ok {
				t.Fatalf("%v is not a protocol refusal", err)
			}
			return
		}
		if len(keys) == 0 || len(keys) > filewire.MaxRecipientsPerRequest {
			t.Fatalf("accepted %d keys", len(keys))
		}
		for _, k := range keys {
			if len(k) != 32 {
				t.Fatalf("accepted a %d-byte key", len(k))
			}
		}
	})
}
