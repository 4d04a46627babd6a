package envelope

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/curve25519"
)

var update = flag.Bool("update", false, "rewrite generated testdata vectors")

// Fixed test keys: recipient r, sender s.
var (
	rPriv = bytes.Repeat([]byte{1}, 32)
	sPriv = bytes.Repeat([]byte{2}, 32)
)

func pubOf(priv []byte) []byte {
	p, _ := curve25519.X25519(priv, curve25519.Basepoint)
	return p
}

func keys(t testing.TB) (sender, recipient *SharedKey) {
	s, err := Precompute(pubOf(rPriv), sPriv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Precompute(pubOf(sPriv), rPriv)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func TestSealOpen(t *testing.T) {
	sk, rk := keys(t)
	for _, keyed := range []bool{true, false} {
		var senderKey []byte
		if keyed {
			senderKey = pubOf(sPriv)
		}
		msg := []byte("hello over the queue")
		b, err := Seal(sk, senderKey, msg)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if keyed != (e.SenderKey != nil) || (keyed && !bytes.Equal(e.SenderKey, senderKey)) {
			t.Fatal("sender key not carried")
		}
		got, err := Open(rk, e)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Open = %q, %v", got, err)
		}
		b[len(b)-1] ^= 1
		e, _ = Decode(b)
		if _, err := Open(rk, e); !hasCode(err, CodeDecrypt) {
			t.Fatalf("tampered envelope: %v", err)
		}
	}
}

func TestPaddingHidesLength(t *testing.T) {
	sk, _ := keys(t)
	a, _ := Seal(sk, nil, []byte("a"))
	b, _ := Seal(sk, nil, bytes.Repeat([]byte("b"), 100))
	if len(a) != len(b) {
		t.Fatalf("1-byte and 100-byte messages differ on the wire: %d vs %d", len(a), len(b))
	}
}

func TestAgentMessageRoundTrip(t *testing.T) {
	m := &AgentMessage{MsgNum: 7, Kind: KindConfirmation, Receipts: []Range{{1, 1}, {3, 90}},
		Reply: &QueueInfo{Server: "ws://127.0.0.1:1234", SenderID: make([]byte, 24), E2EKey: make([]byte, 32)},
		Body:  []byte("info")}
	m.PrevHash[0] = 5
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeAgentMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := got.Encode()
	if !bytes.Equal(b, b2) || got.Reply.Server != m.Reply.Server || len(got.Receipts) != 2 {
		t.Fatalf("round trip changed the message: %+v", got)
	}
}

func TestInnerRoundTrip(t *testing.T) {
	for _, in := range []*Inner{
		{Tag: InnerHello, Hello: []byte("hello"), Body: []byte("ct")},
		{Tag: InnerRequest, Link: "https://x/#/join/AA", Body: []byte("info")},
		{Tag: InnerMessage, Body: []byte("ct")},
	} {
		b, err := in.Encode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeInner(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := got.Encode()
		if !bytes.Equal(b, b2) {
			t.Fatalf("inner %c round trip differs", in.Tag)
		}
	}
}

func hasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// vector: "decoder: envelope|open|inner|agent|sync", "expect: ok|<code>", "hex: ...".
type vector struct {
	name, decoder, expect string
	data                  []byte
}

func loadVectors(t testing.TB, decoder string) []vector {
	files, _ := filepath.Glob("testdata/*.txt")
	var out []vector
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := vector{name: filepath.Base(f)}
		for _, line := range strings.Split(string(raw), "\n") {
			k, val, _ := strings.Cut(line, ": ")
			switch k {
			case "decoder":
				v.decoder = val
			case "expect":
				v.expect = val
			case "hex":
				if v.data, err = hex.DecodeString(val); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
		}
		if v.decoder == decoder {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s vectors in testdata/", decoder)
	}
	return out
}

// decode runs one decoder; Open uses the fixed recipient key.
func decode(t testing.TB, decoder string, b []byte) error {
	switch decoder {
	case "envelope":
		_, err := Decode(b)
		return err
	case "open":
		e, err := Decode(b)
		if err != nil {
			return err
		}
		_, rk := keys(t)
		_, err = Open(rk, e)
		return err
	case "inner":
		_, err := DecodeInner(b)
		return err
	case "agent":
		_, err := DecodeAgentMessage(b)
		return err
	case "sync":
		_, err := DecodeSync(b)
		return err
	}
	t.Fatalf("unknown decoder %q", decoder)
	return nil
}

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	for _, d := range []string{"envelope", "open", "inner", "agent", "sync"} {
		for _, v := range loadVectors(t, d) {
			err := decode(t, d, v.data)
			if v.expect == "ok" && err != nil || v.expect != "ok" && !hasCode(err, v.expect) {
				t.Errorf("%s: want %s, got %v", v.name, v.expect, err)
			}
		}
	}
}

func TestSyncRoundTrip(t *testing.T) {
	a := &Sync{Kind: SyncAnswer, Sent: 1 << 40, Hello: bytes.Repeat([]byte{7}, 1185)}
	a.ReqHash[3] = 9
	for _, s := range []*Sync{{Kind: SyncKeys, Keys: bytes.Repeat([]byte{1}, 1249)}, a} {
		b, err := s.Encode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeSync(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := got.Encode()
		if !bytes.Equal(b, b2) || got.Kind != s.Kind || got.Sent != s.Sent || got.ReqHash != s.ReqHash {
			t.Fatalf("sync %c round trip changed it: %+v", s.Kind, got)
		}
	}
	for _, s := range []*Sync{{Kind: 'Z', Keys: []byte{1}}, {Kind: SyncKeys}, {Kind: SyncAnswer},
		{Kind: SyncKeys, Keys: make([]byte, MaxSyncField+1)}} {
		if _, err := s.Encode(); !hasCode(err, CodeBadEnvelope) {
			t.Fatalf("encoding %+v: %v", s.Kind, err)
		}
	}
}
