package proto

import (
	"encoding/json"
	"testing"
)

// FuzzDecode: the decoder never panics, and whatever it accepts re-encodes
// to JSON that decodes to the same messages.
func FuzzDecode(f *testing.F) {
	vectors := readVectors(f)
	if len(vectors) == 0 {
		f.Fatal("no seeds")
	}
	for _, b := range vectors {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msgs, err := Decode(body)
		if err != nil {
			return
		}
		b, err := json.Marshal(msgs)
		if err != nil {
			return // e.g. an invalid UTF-8 string kept in Unknown params
		}
		again, err := Decode(b)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", b, err)
		}
		b2, _ := json.Marshal(again)
		if string(b) != string(b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}
