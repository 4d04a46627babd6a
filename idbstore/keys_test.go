package idbstore

import (
	"sort"
	"testing"
)

func TestKeyCodecRoundTrip(t *testing.T) {
	for _, k := range []string{"", "abc", "bin/\x00\xff\u00e9", "\x80\x81", "m/10"} {
		got, err := decodeKey(encodeKey(k))
		if err != nil || got != k {
			t.Fatalf("decode(encode(%q)) = %q, %v", k, got, err)
		}
	}
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
	if _, err := decodeKey("\u0100"); err == nil {
		t.Fatal("decodeKey accepted a code point above 0xff")
	}
}
