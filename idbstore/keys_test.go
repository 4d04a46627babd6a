package idbstore

import (
	"bytes"
	"sort"
	"strings"
	"testing"
)

func TestUnitsRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, k := range []string{"", "abc", "bin/\x00\xff\u00e9", "\x80\x81", "m/10", string(all)} {
		got, err := decodeKey(encodeKey(k))
		if err != nil || got != k {
			t.Fatalf("decode(encode(%q)) = %q, %v", k, got, err)
		}
		if want := string([]rune(latin1Runes(k))); encodeKey(k) != want {
			t.Fatalf("encode(%q) is not the code points of its bytes", k)
		}
	}
}

func latin1Runes(s string) []rune {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return r
}

// TestKeyCodecOrder checks that code-point order of encoded keys (what
// IndexedDB compares, UTF-16 units all <= 0xff) is the bytewise order.
func TestKeyCodecOrder(t *testing.T) {
	keys := []string{"a", "\xff", "\x00", "a\x80", "a\x7f", "ab", "\xc3\xa9", "\xe9"}
	byBytes := append([]string(nil), keys...)
	sort.Strings(byBytes)
	byUnits := append([]string(nil), keys...)
	sort.Slice(byUnits, func(i, j int) bool { return less(encodeKey(byUnits[i]), encodeKey(byUnits[j])) })
	for i := range byBytes {
		if byBytes[i] != byUnits[i] {
			t.Fatalf("order differs: bytes %q, units %q", byBytes, byUnits)
		}
	}
}

// less compares by code point, as IndexedDB does for these strings.
func less(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		if ra[i] != rb[i] {
			return ra[i] < rb[i]
		}
	}
	return len(ra) < len(rb)
}

func TestDecodeRejectsWideRunes(t *testing.T) {
	for _, s := range []string{"\u0100", "a\u20ac", "\xc3"} {
		if _, err := decodeKey(s); err == nil {
			t.Fatalf("decodeKey(%q) accepted a code point above 0xff", s)
		}
	}
}

func TestSplitJoined(t *testing.T) {
	vals := [][]byte{{}, {0xc4, 0x80, 0xff}, []byte("x"), {}}
	units := make([]string, len(vals))
	for i, v := range vals {
		units[i] = toUnits(v)
	}
	parts, err := splitJoined([]byte(strings.Join(units, sep)), len(vals))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parts {
		if !bytes.Equal(p, vals[i]) {
			t.Fatalf("part %d = %x; want %x", i, p, vals[i])
		}
	}
	parts[0] = append(parts[0], 'z')
	if !bytes.Equal(parts[1], vals[1]) {
		t.Fatal("appending to one part changed the next")
	}
	if _, err := splitJoined([]byte(strings.Join(units, sep)), len(vals)+1); err == nil {
		t.Fatal("wrong part count accepted")
	}
	if parts, err := splitJoined(nil, 0); err != nil || parts != nil {
		t.Fatal("empty list")
	}
}
