package ratchet

import (
	"bytes"
	"errors"
	"testing"
)

// pair runs the whole handshake and returns joiner and inviter ratchets,
// with every public value round-tripped through its encoding as the agent
// would do.
func pair(t testing.TB) (joiner, inviter *Ratchet) {
	t.Helper()
	sec, keys, err := NewInvitation()
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := keys.MarshalBinary()
	var keys2 InvitationKeys
	if err := keys2.UnmarshalBinary(kb); err != nil {
		t.Fatal(err)
	}
	joiner, hello, err := InitJoiner(keys2)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := hello.MarshalBinary()
	var hello2 JoinerHello
	if err := hello2.UnmarshalBinary(hb); err != nil {
		t.Fatal(err)
	}
	sb, _ := sec.MarshalBinary()
	var sec2 InvitationSecret
	if err := sec2.UnmarshalBinary(sb); err != nil {
		t.Fatal(err)
	}
	inviter, err = InitInviter(&sec2, hello2)
	if err != nil {
		t.Fatal(err)
	}
	return joiner, inviter
}

func enc(t testing.TB, r *Ratchet, text string) []byte {
	t.Helper()
	m, err := r.Encrypt([]byte(text), []byte("ad"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func dec(t testing.TB, r *Ratchet, msg []byte, want string) {
	t.Helper()
	before := stateBytes(t, r)
	pt, err := r.Decrypt(msg, []byte("ad"))
	if err != nil {
		t.Fatalf("decrypt %q: %v", want, err)
	}
	if string(pt) != want {
		t.Fatalf("got %q, want %q", pt, want)
	}
	if bytes.Equal(before, stateBytes(t, r)) {
		t.Fatalf("state unchanged after decrypting %q", want)
	}
}

// decFail checks Decrypt fails with want and leaves the state unchanged.
func decFail(t testing.TB, r *Ratchet, msg, ad []byte, want error) {
	t.Helper()
	before := stateBytes(t, r)
	pt, err := r.Decrypt(msg, ad)
	if !errors.Is(err, want) {
		t.Fatalf("got %q, %v; want %v", pt, err, want)
	}
	if !bytes.Equal(before, stateBytes(t, r)) {
		t.Fatalf("state changed by a failed Decrypt (%v)", err)
	}
}

func stateBytes(t testing.TB, r *Ratchet) []byte {
	t.Helper()
	b, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func roundTrip(t testing.TB, r *Ratchet) *Ratchet {
	t.Helper()
	b := stateBytes(t, r)
	var r2 Ratchet
	if err := r2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, stateBytes(t, &r2)) {
		t.Fatal("state does not round-trip")
	}
	return &r2
}
