package idbstore

import (
	"errors"
	"unicode/utf8"
)

// errBadUnits reports a stored key or value this package could not have
// written (a code point above 0xff).
var errBadUnits = errors.New("idbstore: stored string is not byte-encoded")

// Keys and values are stored as "byte strings": JS strings with one UTF-16
// code unit (0..255) per byte. IndexedDB compares strings by code unit, so
// the order of keys is the bytewise order of the Go keys; V8 keeps such
// strings one byte per character, so values cost what Uint8Arrays would.
// Go passes strings to JS as UTF-8, so the byte string of b is the UTF-8
// encoding of the code points b[0], b[1], ...

// toUnits returns the UTF-8 form of the byte string of b (b itself when it
// is ASCII).
func toUnits[T string | []byte](b T) string {
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	if i == len(b) {
		return string(b)
	}
	out := make([]byte, i, len(b)+(len(b)-i)/2+8)
	copy(out, b[:i])
	for ; i < len(b); i++ {
		if c := b[i]; c < utf8.RuneSelf {
			out = append(out, c)
		} else {
			out = append(out, 0xc0|c>>6, 0x80|c&0x3f)
		}
	}
	return string(out)
}

// fromUnits reverses toUnits on the UTF-8 string Go received from JS.
func fromUnits(s []byte) ([]byte, error) {
	out, ends, err := decodeJoined(s, 1)
	if err != nil || len(ends) != 1 {
		return nil, errBadUnits
	}
	return out, nil
}

// decodeJoined decodes the UTF-8 of n byte strings joined with sep in one
// pass: the bytes of all parts, back to back, and where each part ends.
func decodeJoined(s []byte, n int) (out []byte, ends []int, err error) {
	out = make([]byte, len(s))
	ends = make([]int, 0, n)
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			out[j] = c
			j++
			continue
		}
		if i+1 >= len(s) || s[i+1]&0xc0 != 0x80 {
			return nil, nil, errBadUnits
		}
		switch c {
		case 0xc2, 0xc3:
			out[j] = c<<6 | s[i+1]&0x3f
			j++
		case 0xc4: // sep is c4 80
			if s[i+1] != 0x80 {
				return nil, nil, errBadUnits
			}
			ends = append(ends, j)
		default:
			return nil, nil, errBadUnits
		}
		i++
	}
	ends = append(ends, j)
	if len(ends) != n {
		return nil, nil, errBadUnits
	}
	return out[:j], ends, nil
}

func encodeKey(s string) string { return toUnits(s) }

func decodeKey(s string) (string, error) {
	b, err := fromUnits([]byte(s))
	return string(b), err
}

// sep joins the elements of a List result on the JS side: U+0100 is
// above every code unit of a byte string, and its UTF-8 form (c4 80) cannot
// occur inside the UTF-8 of code points <= 0xff.
const sep = "\u0100"

// prefixEnd is the exclusive upper bound of the encoded keys starting with
// the encoded prefix p: every such key continues with code units <= 0xff.
func prefixEnd(p string) string { return p + sep }

// splitJoined decodes the UTF-8 of n byte strings joined with sep. The
// parts share one buffer but are capped, so appending to one never writes
// into the next.
func splitJoined(s []byte, n int) ([][]byte, error) {
	if n == 0 {
		return nil, nil
	}
	buf, ends, err := decodeJoined(s, n)
	if err != nil {
		return nil, err
	}
	parts := make([][]byte, n)
	start := 0
	for i, e := range ends {
		parts[i] = buf[start:e:e]
		start = e
	}
	return parts, nil
}
