package wire

import (
	"bytes"
	"errors"
	"testing"
)

func fill(n int, v byte) []byte { return bytes.Repeat([]byte{v}, n) }

// sample returns one transmission of every code, with fixed bytes.
func samples() []Transmission {
	id, id2, k1, k2 := fill(IDLen, 1), fill(IDLen, 2), fill(KeyLen, 3), fill(KeyLen, 4)
	c := []byte{7, 7}
	return []Transmission{
		{CorrID: c, Code: NEW, Key1: k1, Key2: k2},
		{CorrID: c, EntityID: id2, Code: SKEY, Key1: k1},
		{CorrID: c, EntityID: id2, Code: SEND, Body: []byte("ciphertext")},
		{EntityID: id, Code: SUB},
		{CorrID: c, EntityID: id, Code: ACK, MsgID: fill(IDLen, 9)},
		{CorrID: c, EntityID: id, Code: GET},
		{CorrID: c, EntityID: id, Code: OFF},
		{CorrID: c, EntityID: id, Code: DEL},
		{CorrID: c, Code: PING},
		{CorrID: c, EntityID: id, Code: OK},
		{CorrID: c, Code: IDS, RecipientID: id, SenderID: id2, ServerDHKey: k1},
		{EntityID: id, Code: MSG, MsgID: fill(IDLen, 9), Timestamp: 1700000000123, Body: []byte("boxed")},
		{EntityID: id, Code: END},
		{EntityID: id, Code: DELD},
		{CorrID: c, Code: PONG},
		{CorrID: c, EntityID: id, Code: ERR, Err: ErrQuota},
	}
}

func TestRoundTripEveryCode(t *testing.T) {
	mac, sess := fill(MACKeyLen, 5), fill(SessionIDLen, 6)
	for _, s := range samples() {
		s := s
		var sign Signer
		if s.Code.IsClient() && s.Code != PING {
			sign = SignerFor(mac, sess)
		}
		f := AppendTransmission(AppendBatchHeader(nil), &s, sign)
		body, err := BatchBody(f)
		if err != nil {
			t.Fatal(err)
		}
		raw, rest, err := NextRaw(body)
		if err != nil || len(rest) != 0 {
			t.Fatalf("%v: split: %v rest %d", s.Code, err, len(rest))
		}
		if sign != nil {
			s.Auth = make([]byte, TagLen) // EncodedLen counts the tag when Auth is set
		}
		if len(body) != s.EncodedLen() {
			t.Fatalf("%v: EncodedLen %d, encoded %d", s.Code, s.EncodedLen(), len(body))
		}
		d, err := Decode(raw)
		if err != nil {
			t.Fatalf("%v: %v", s.Code, err)
		}
		if d.Code != s.Code || !bytes.Equal(d.CorrID, s.CorrID) || !bytes.Equal(d.EntityID, s.EntityID) ||
			!bytes.Equal(d.Body, s.Body) || !bytes.Equal(d.MsgID, s.MsgID) || d.Timestamp != s.Timestamp || d.Err != s.Err {
			t.Fatalf("%v: decoded %+v", s.Code, d)
		}
		if sign != nil && !Verify(mac, sess, &d) {
			t.Fatalf("%v: tag does not verify", s.Code)
		}
		if sign != nil && Verify(fill(MACKeyLen, 8), sess, &d) {
			t.Fatalf("%v: tag verifies under another key", s.Code)
		}
	}
}

func TestSUBIsCompact(t *testing.T) {
	s := Transmission{EntityID: fill(IDLen, 1), Code: SUB}
	f := AppendTransmission(nil, &s, SignerFor(fill(32, 1), fill(32, 2)))
	if len(f) != 42 {
		t.Fatalf("SUB is %d bytes, want 42", len(f))
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		raw  []byte
		want error
	}{
		{[]byte{byte(PING) | hdrAuth, 1, 2}, ErrSyntax},
		{[]byte{byte(SUB) | hdrEntity, 1, 2}, ErrSyntax},
		{[]byte{byte(PING) | hdrCorr, 0}, ErrSyntax},
		{[]byte{byte(PING) | hdrCorr, 25}, ErrSyntax},
		{[]byte{30}, ErrUnknown},
		{[]byte{byte(ACK), 1, 2, 3}, ErrSyntax},
		{[]byte{byte(PING), 1}, ErrSyntax},
	}
	for _, c := range cases {
		if _, err := Decode(c.raw); !errors.Is(err, c.want) {
			t.Errorf("Decode(%x) = %v, want %v", c.raw, err, c.want)
		}
	}
	if _, _, err := NextRaw([]byte{0x81, 0x00, 9}); !errors.Is(err, ErrSyntax) {
		t.Errorf("non-minimal length accepted")
	}
	if _, _, err := NextRaw([]byte{5, 9}); !errors.Is(err, ErrSyntax) {
		t.Errorf("truncated transmission accepted")
	}
}

func TestDecodeKeepsCorrIDOnParamError(t *testing.T) {
	raw := []byte{byte(ACK) | hdrCorr | hdrEntity, 1, 42}
	raw = append(raw, fill(IDLen, 1)...)
	raw = append(raw, 1, 2, 3)
	d, err := Decode(raw)
	if !errors.Is(err, ErrSyntax) || !bytes.Equal(d.CorrID, []byte{42}) || len(d.EntityID) != IDLen {
		t.Fatalf("got %+v, %v", d, err)
	}
}

func TestHellos(t *testing.T) {
	h := ServerHello{MinVersion: 1, MaxVersion: 1}
	h.SessionID[0], h.AuthKey[31] = 1, 2
	got, err := ParseServerHello(h.Append(nil))
	if err != nil || got != h {
		t.Fatalf("server hello: %v %+v", err, got)
	}
	if v, err := ParseClientHello(AppendClientHello(nil, 1)); err != nil || v != 1 {
		t.Fatalf("client hello: %v %d", err, v)
	}
	f := AppendHTTPHeader(nil, 1, h.SessionID[:])
	if v, sid, rest, err := ParseHTTPHeader(f); err != nil || v != 1 || !bytes.Equal(sid, h.SessionID[:]) || len(rest) != 0 {
		t.Fatalf("http header: %v", err)
	}
}

func TestMACKeyAgreesAndBox(t *testing.T) {
	cp, cpub := NewKeyPair()
	sp, spub := NewKeyPair()
	a, err := MACKey(cp, spub)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MACKey(sp, cpub)
	if !bytes.Equal(a, b) {
		t.Fatal("MAC keys differ")
	}
	if _, err := MACKey(cp, make([]byte, 32)); err == nil {
		t.Fatal("low-order point accepted")
	}
	k1, _ := BoxKey(cp, spub)
	k2, _ := BoxKey(sp, cpub)
	id := fill(IDLen, 3)
	boxed := SealMsg(nil, []byte("hello"), id, k1)
	if bytes.Contains(boxed, []byte("hello")) {
		t.Fatal("plaintext in box")
	}
	if m, ok := OpenMsg(nil, boxed, id, k2); !ok || string(m) != "hello" {
		t.Fatal("open failed")
	}
	boxed[0] ^= 1
	if _, ok := OpenMsg(nil, boxed, id, k2); ok {
		t.Fatal("tampered box opened")
	}
}
