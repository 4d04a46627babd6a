package record

import (
	"bytes"
	"testing"
)

func TestFieldsRoundTrip(t *testing.T) {
	a, c := []byte("alpha"), bytes.Repeat([]byte{7}, 255)
	b := AppendFields([]byte{9}, a, nil, c)
	var ga, gb, gc []byte
	rest, ok := ReadFields(append(b[1:], 42), &ga, &gb, &gc)
	if !ok || !bytes.Equal(ga, a) || gb != nil || !bytes.Equal(gc, c) || !bytes.Equal(rest, []byte{42}) {
		t.Fatalf("read back %q %q %d bytes, rest %v, ok %v", ga, gb, len(gc), rest, ok)
	}
	for n := range len(b) - 1 {
		if _, ok := ReadFields(b[1:1+n], &ga, &gb, &gc); ok {
			t.Errorf("a record cut after %d bytes reads as whole", n)
		}
	}
}
