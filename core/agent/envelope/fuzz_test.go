package envelope

import (
	"bytes"
	"testing"
)

func fuzzDecoder(f *testing.F, decoder string, reencode func(b []byte) ([]byte, bool)) {
	for _, v := range loadVectors(f, decoder) {
		f.Add(v.data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := decode(t, decoder, b)
		if err != nil {
			if !hasCode(err, CodeBadEnvelope) && !hasCode(err, CodeDecrypt) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if reencode != nil {
			if out, ok := reencode(b); ok && !bytes.Equal(out, b) {
				t.Fatalf("re-encoding differs:\n%x\n%x", b, out)
			}
		}
	})
}

func FuzzDecode(f *testing.F) {
	fuzzDecoder(f, "envelope", func(b []byte) ([]byte, bool) {
		e, _ := Decode(b)
		return e.Encode(), true
	})
}

func FuzzOpen(f *testing.F) { fuzzDecoder(f, "open", nil) }

func FuzzDecodeInner(f *testing.F) {
	fuzzDecoder(f, "inner", func(b []byte) ([]byte, bool) {
		in, _ := DecodeInner(b)
		out, err := in.Encode()
		return out, err == nil
	})
}

func FuzzDecodeAgentMessage(f *testing.F) {
	fuzzDecoder(f, "agent", func(b []byte) ([]byte, bool) {
		m, _ := DecodeAgentMessage(b)
		out, err := m.Encode()
		return out, err == nil
	})
}

func FuzzDecodeSync(f *testing.F) {
	fuzzDecoder(f, "sync", func(b []byte) ([]byte, bool) {
		s, _ := DecodeSync(b)
		out, err := s.Encode()
		return out, err == nil
	})
}
