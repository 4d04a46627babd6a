package idbstore

import (
	"errors"
	"unicode/utf8"
)

// errBadKey reports a stored key that this package could not have written.
var errBadKey = errors.New("idbstore: stored key is not byte-encoded")

// encodeKey maps every byte of s to the code point of the same value, so
// that the JS string has one UTF-16 code unit per byte. ASCII is unchanged.
func encodeKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); i++ {
		out = utf8.AppendRune(out, rune(s[i]))
	}
	return string(out)
}

// decodeKey reverses encodeKey on the UTF-8 string Go received from JS.
func decodeKey(s string) (string, error) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s, nil
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return "", errBadKey
		}
		out = append(out, byte(r))
	}
	return string(out), nil
}

// prefixEnd is the exclusive upper bound of the encoded keys starting with
// the encoded prefix p: every such key continues with code units <= 0xff.
func prefixEnd(p string) string { return p + "\u0100" }
