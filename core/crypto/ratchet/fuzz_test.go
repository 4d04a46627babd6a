package ratchet

import (
	"bytes"
	"encoding/hex"
	"os"
	"testing"
)

// seeds collects byte strings of one kind from testdata/*.txt: "keys",
// "hello", "secret", "state" (initial and final states) or "msg" (every
// ciphertext). It fails the test when it finds none, so a fuzz target
// can never silently run without seeds.
func seeds(t testing.TB, kind string) [][]byte {
	var out [][]byte
	for _, f := range vectorFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := parseVector(b)
		if err != nil {
			t.Fatal(err)
		}
		var hexes []string
		switch kind {
		case "keys":
			hexes = []string{v.get("invitation_keys")}
		case "hello":
			hexes = []string{v.get("joiner_hello")}
		case "secret":
			hexes = []string{v.get("invitation_secret")}
		case "state":
			hexes = []string{v.get("joiner_state"), v.get("inviter_state"), v.get("joiner_final"), v.get("inviter_final")}
		case "msg":
			for _, s := range v.steps {
				if s[0] == "send" && len(s) == 6 {
					hexes = append(hexes, s[5])
				}
			}
		}
		for _, h := range hexes {
			if x, err := hex.DecodeString(h); err == nil && len(x) > 0 {
				out = append(out, x)
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s seeds in testdata/", kind)
	}
	return out
}

func addSeeds(f *testing.F, kind string) {
	for _, s := range seeds(f, kind) {
		f.Add(s)
	}
}

func FuzzInvitationKeys(f *testing.F) {
	addSeeds(f, "keys")
	f.Fuzz(func(t *testing.T, b []byte) {
		var k InvitationKeys
		if k.UnmarshalBinary(b) != nil {
			return
		}
		if out, _ := k.MarshalBinary(); !bytes.Equal(out, b) {
			t.Fatal("keys do not re-encode to the input")
		}
		InitJoiner(k) // may fail (low-order keys), must not panic
	})
}

func FuzzJoinerHello(f *testing.F) {
	addSeeds(f, "hello")
	sec := new(InvitationSecret)
	if err := sec.UnmarshalBinary(seeds(f, "secret")[0]); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h JoinerHello
		if h.UnmarshalBinary(b) != nil {
			return
		}
		if out, _ := h.MarshalBinary(); !bytes.Equal(out, b) {
			t.Fatal("hello does not re-encode to the input")
		}
		InitInviter(sec, h) // may fail, must not panic
	})
}

func FuzzInvitationSecret(f *testing.F) {
	addSeeds(f, "secret")
	f.Fuzz(func(t *testing.T, b []byte) {
		var s InvitationSecret
		if s.UnmarshalBinary(b) != nil {
			return
		}
		if out, _ := s.MarshalBinary(); !bytes.Equal(out, b) {
			t.Fatal("secret does not re-encode to the input")
		}
	})
}

func FuzzState(f *testing.F) {
	addSeeds(f, "state")
	f.Fuzz(func(t *testing.T, b []byte) {
		var r Ratchet
		if r.UnmarshalBinary(b) != nil {
			return
		}
		if out, _ := r.MarshalBinary(); !bytes.Equal(out, b) {
			t.Fatal("state does not re-encode to the input")
		}
		// Any state that decodes must be usable without panics.
		if m, err := r.Encrypt([]byte("x"), nil); err == nil {
			r.Decrypt(m, nil)
		}
	})
}

// FuzzDecrypt feeds arbitrary messages to the inviter of the "basic"
// vector: Decrypt must never panic and must leave the state unchanged
// whenever it fails.
func FuzzDecrypt(f *testing.F) {
	addSeeds(f, "msg")
	b, err := os.ReadFile("testdata/basic.txt")
	if err != nil {
		f.Fatal(err)
	}
	v, err := parseVector(b)
	if err != nil {
		f.Fatal(err)
	}
	state, _ := hex.DecodeString(v.get("inviter_state"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		var r Ratchet
		if err := r.UnmarshalBinary(state); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Decrypt(msg, []byte("ad")); err != nil {
			if after, _ := r.MarshalBinary(); !bytes.Equal(after, state) {
				t.Fatalf("failed Decrypt changed the state: %v", err)
			}
		}
	})
}
