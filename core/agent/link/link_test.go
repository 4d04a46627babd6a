package link

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated testdata vectors")

func sample(k Kind) *Link {
	l := &Link{
		Kind:     k,
		Server:   "wss://relay.example:5223",
		SenderID: bytes.Repeat([]byte{7}, SenderIDLen),
		E2EKey:   bytes.Repeat([]byte{9}, KeyLen),
	}
	if k == Invitation {
		l.InvKeys = bytes.Repeat([]byte{3}, 1248)
	}
	return l
}

func TestRoundTrip(t *testing.T) {
	for _, k := range []Kind{Invitation, Contact} {
		s, err := sample(k).Format("http://localhost:8080/")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s, "http://localhost:8080/#/join/") {
			t.Fatalf("unexpected url %q", s)
		}
		got, err := Parse(s)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		want := sample(k)
		if got.Kind != want.Kind || got.Server != want.Server || !bytes.Equal(got.SenderID, want.SenderID) ||
			!bytes.Equal(got.E2EKey, want.E2EKey) || !bytes.Equal(got.InvKeys, want.InvKeys) {
			t.Fatalf("%s: round trip changed the link: %+v", k, got)
		}
	}
}

func TestDefaultBaseAndAppScheme(t *testing.T) {
	s, err := sample(Contact).Format("")
	if err != nil || !strings.HasPrefix(s, DefaultBase+"#/join/") {
		t.Fatalf("Format with empty base = %q, %v", s, err)
	}
	app := "sxweb:" + s[strings.IndexByte(s, '#'):]
	if _, err := Parse(app); err != nil {
		t.Fatalf("app-scheme link rejected: %v", err)
	}
}

func TestFormatRejectsInvalid(t *testing.T) {
	l := sample(Invitation)
	l.SenderID = l.SenderID[:3]
	if _, err := l.Format(""); !isBadLink(err) {
		t.Fatalf("Format accepted a short sender id: %v", err)
	}
}

func isBadLink(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeBadLink
}

// vector is one testdata scenario: "expect: ok|BAD_LINK" then "link: <url>".
type vector struct{ name, expect, link string }

func loadVectors(t testing.TB) []vector {
	files, _ := filepath.Glob("testdata/*.txt")
	var out []vector
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := vector{name: filepath.Base(f)}
		for _, line := range strings.Split(string(b), "\n") {
			if s, ok := strings.CutPrefix(line, "expect: "); ok {
				v.expect = s
			}
			if s, ok := strings.CutPrefix(line, "link: "); ok {
				v.link = s
			}
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatal("no vectors in testdata/")
	}
	return out
}

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	for _, v := range loadVectors(t) {
		l, err := Parse(v.link)
		switch v.expect {
		case "ok":
			if err != nil {
				t.Errorf("%s: %v", v.name, err)
				continue
			}
			again, _ := l.Format(v.link[:strings.IndexByte(v.link, '#')])
			if again != v.link {
				t.Errorf("%s: re-format differs", v.name)
			}
		case CodeBadLink:
			if !isBadLink(err) {
				t.Errorf("%s: want BAD_LINK, got %v", v.name, err)
			}
		default:
			t.Errorf("%s: bad expect %q", v.name, v.expect)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.link)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Parse(s)
		if err != nil {
			if !isBadLink(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		p, err := l.Encode()
		if err != nil {
			t.Fatalf("parsed link does not encode: %v", err)
		}
		l2, err := Decode(p)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		p2, _ := l2.Encode()
		if !bytes.Equal(p, p2) {
			t.Fatal("encoding not canonical")
		}
	})
}
