package ratchet

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestBothDirectionsAtOnce(t *testing.T) {
	j, i := pair(t)
	// Both can send before receiving anything.
	mi := enc(t, i, "from inviter")
	mj := enc(t, j, "from joiner")
	dec(t, i, mj, "from joiner")
	dec(t, j, mi, "from inviter")
	dec(t, i, enc(t, j, "again"), "again")
	dec(t, j, enc(t, i, "reply"), "reply")
}

func TestLongConversationAlternating(t *testing.T) {
	j, i := pair(t)
	for round := 0; round < 200; round++ {
		from, to := j, i
		if round%3 == 1 {
			from, to = i, j
		}
		n := 1 + round%4
		for k := 0; k < n; k++ {
			text := fmt.Sprintf("round %d msg %d", round, k)
			dec(t, to, enc(t, from, text), text)
		}
	}
}

func TestOutOfOrderAndSkipped(t *testing.T) {
	j, i := pair(t)
	var ms [][]byte
	for k := 0; k < 6; k++ {
		ms = append(ms, enc(t, j, fmt.Sprint("j", k)))
	}
	dec(t, i, ms[3], "j3")
	dec(t, i, ms[0], "j0")
	// The inviter answers; the joiner ratchets; the joiner sends a new chain.
	dec(t, j, enc(t, i, "i0"), "i0")
	late := enc(t, j, "j-new0")
	dec(t, i, enc(t, j, "j-new1"), "j-new1") // skips j-new0 and the rest of the old chain
	dec(t, i, ms[5], "j5")
	dec(t, i, late, "j-new0")
	dec(t, i, ms[1], "j1")
	i = roundTrip(t, i) // skipped keys survive persistence
	dec(t, i, ms[4], "j4")
	dec(t, i, ms[2], "j2")
	decFail(t, i, ms[2], []byte("ad"), ErrDuplicate)
	decFail(t, i, late, []byte("ad"), ErrDuplicate)
}

func TestDuplicateRejected(t *testing.T) {
	j, i := pair(t)
	m := enc(t, j, "once")
	dec(t, i, m, "once")
	decFail(t, i, m, []byte("ad"), ErrDuplicate)
	m2 := enc(t, i, "back")
	dec(t, j, m2, "back")
	decFail(t, j, m2, []byte("ad"), ErrDuplicate)
}

func TestTamperedRejected(t *testing.T) {
	j, i := pair(t)
	m := enc(t, j, "hello there")
	for pos := 0; pos < len(m); pos++ {
		bad := bytes.Clone(m)
		bad[pos] ^= 0x40
		want := ErrDecrypt
		if pos == 0 {
			want = ErrBadMessage
		}
		decFail(t, i, bad, []byte("ad"), want)
	}
	decFail(t, i, m[:len(m)-1], []byte("ad"), ErrDecrypt)
	decFail(t, i, m[:Overhead-1], []byte("ad"), ErrBadMessage)
	decFail(t, i, m, []byte("other ad"), ErrDecrypt)
	decFail(t, i, m, nil, ErrDecrypt)
	dec(t, i, m, "hello there") // still decryptable after all that
}

func TestWrongConnectionRejected(t *testing.T) {
	j, _ := pair(t)
	_, i2 := pair(t)
	decFail(t, i2, enc(t, j, "not yours"), []byte("ad"), ErrDecrypt)
}

func TestTooManySkipped(t *testing.T) {
	j, i := pair(t)
	for k := 0; k < MaxSkip+1; k++ {
		enc(t, j, "lost")
	}
	decFail(t, i, enc(t, j, "far"), []byte("ad"), ErrTooManySkipped)
	// A gap of exactly MaxSkip is accepted.
	j, i = pair(t)
	for k := 0; k < MaxSkip; k++ {
		enc(t, j, "lost")
	}
	dec(t, i, enc(t, j, "edge"), "edge")
}

func TestSkippedKeysBounded(t *testing.T) {
	j, i := pair(t)
	first := enc(t, j, "first")
	for round := 0; round < 5; round++ {
		for k := 0; k < MaxSkip-1; k++ {
			enc(t, j, "lost")
		}
		dec(t, i, enc(t, j, "kept"), "kept")
		dec(t, j, enc(t, i, "ack"), "ack") // new chain each round
	}
	if len(i.skipped) != MaxSkippedKeys {
		t.Fatalf("%d skipped keys kept, want %d", len(i.skipped), MaxSkippedKeys)
	}
	decFail(t, i, first, []byte("ad"), ErrDuplicate) // evicted
}

func TestStateRoundTripMidConversation(t *testing.T) {
	j, i := pair(t)
	for k := 0; k < 20; k++ {
		j, i = roundTrip(t, j), roundTrip(t, i)
		dec(t, i, enc(t, j, fmt.Sprint("a", k)), fmt.Sprint("a", k))
		if k%2 == 0 {
			dec(t, j, enc(t, i, fmt.Sprint("b", k)), fmt.Sprint("b", k))
		}
	}
}

func TestInviterSecretRoundTrip(t *testing.T) {
	sec, keys, err := NewInvitation()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sec.MarshalBinary()
	var s2 InvitationSecret
	if err := s2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if s2.Keys() != keys {
		t.Fatal("keys differ after secret round trip")
	}
}

func TestLowOrderKeyRejected(t *testing.T) {
	_, keys, err := NewInvitation()
	if err != nil {
		t.Fatal(err)
	}
	keys.DH1 = [32]byte{} // the identity point: all-zero shared secret
	if _, _, err := InitJoiner(keys); !errors.Is(err, ErrBadKey) {
		t.Fatalf("got %v, want ErrBadKey", err)
	}
}

func TestErrorCodes(t *testing.T) {
	j, i := pair(t)
	m := enc(t, j, "x")
	dec(t, i, m, "x")
	_, err := i.Decrypt(m, []byte("ad"))
	var e *Error
	if !errors.As(err, &e) || e.Code != "DUPLICATE" {
		t.Fatalf("got %v", err)
	}
}

// Each public value of the handshake is bound to the keys: altering the
// KEM ciphertext or the joiner's ratchet key in transit breaks the session
// instead of producing a related one.
func TestHelloTamperingBreaksSession(t *testing.T) {
	for _, field := range []string{"kem", "ratchet", "dh1"} {
		sec, keys, err := NewInvitation()
		if err != nil {
			t.Fatal(err)
		}
		j, hello, err := InitJoiner(keys)
		if err != nil {
			t.Fatal(err)
		}
		switch field {
		case "kem":
			hello.KEMCiphertext[0] ^= 1
		case "ratchet":
			hello.RatchetKey[0] ^= 1
		case "dh1":
			hello.DH1[0] ^= 1
		}
		i, err := InitInviter(sec, hello)
		if err != nil {
			continue // also acceptable: refused outright
		}
		if _, err := i.Decrypt(enc(t, j, "x"), []byte("ad")); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s altered: got %v, want ErrDecrypt", field, err)
		}
	}
}

func TestExhausted(t *testing.T) {
	j, _ := pair(t)
	j.st.ns = 1<<32 - 1
	if _, err := j.Encrypt([]byte("x"), nil); !errors.Is(err, ErrExhausted) {
		t.Fatalf("got %v", err)
	}
}

func TestBadEncodingsRejected(t *testing.T) {
	var k InvitationKeys
	var h JoinerHello
	var s InvitationSecret
	var r Ratchet
	for _, b := range [][]byte{nil, {1}, make([]byte, InvitationKeysSize), make([]byte, JoinerHelloSize)} {
		for name, err := range map[string]error{
			"keys": k.UnmarshalBinary(b), "hello": h.UnmarshalBinary(b),
			"secret": s.UnmarshalBinary(b), "state": r.UnmarshalBinary(b),
		} {
			if !errors.Is(err, ErrBadEncoding) {
				t.Errorf("%s of %d bytes: got %v", name, len(b), err)
			}
		}
	}
	// An encapsulation key with a coefficient ≥ q is rejected.
	_, keys, _ := NewInvitation()
	b, _ := keys.MarshalBinary()
	b[65], b[66] = 0xff, 0xff
	if err := k.UnmarshalBinary(b); !errors.Is(err, ErrBadEncoding) {
		t.Errorf("bad KEM key: got %v", err)
	}
}
