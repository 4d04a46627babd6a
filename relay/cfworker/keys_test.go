package cfworker

import (
	"bytes"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

func testKeys(t testing.TB) *Keys {
	k, err := NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Both ids of a queue lead to its route; they share no bytes an observer
// could match, and another relay key finds another route.
func TestIDsCarryTheRoute(t *testing.T) {
	k := testKeys(t)
	r := NewRoute()
	rid, sid := k.NewID(r), k.NewID(r)
	for _, id := range [][]byte{rid, sid} {
		if got, ok := k.RouteOf(id); !ok || got != r {
			t.Fatalf("RouteOf = %v %v, want %v", got, ok, r)
		}
	}
	if bytes.Equal(rid[idNonceLen:], sid[idNonceLen:]) || bytes.Equal(rid[:idNonceLen], sid[:idNonceLen]) {
		t.Fatal("recipient and sender ids share their bytes")
	}
	other, _ := NewKeys(bytes.Repeat([]byte{8}, 32))
	if got, _ := other.RouteOf(rid); got == r {
		t.Fatal("another relay key decodes the same route")
	}
	if _, ok := k.RouteOf(rid[:10]); ok {
		t.Fatal("short id accepted")
	}
}

func TestTokens(t *testing.T) {
	k := testKeys(t)
	now := time.Now()
	tok := k.NewToken(now)
	if !k.ValidToken(tok[:], now) {
		t.Fatal("fresh token refused")
	}
	if k.ValidToken(tok[:], now.Add(2*httpTokenTTL)) {
		t.Fatal("expired token accepted")
	}
	tok[20] ^= 1
	if k.ValidToken(tok[:], now) || k.ValidToken(tok[:5], now) {
		t.Fatal("forged token accepted")
	}
}

func TestParseKeys(t *testing.T) {
	if _, err := ParseKeys(""); err != ErrBadKey {
		t.Fatalf("empty key: %v", err)
	}
	if _, err := ParseKeys("zz"); err != ErrBadKey {
		t.Fatalf("bad hex: %v", err)
	}
	k, err := ParseKeys(string(bytes.Repeat([]byte("07"), 32)))
	if err != nil || !bytes.Equal(k.AuthPub, testKeys(t).AuthPub) {
		t.Fatalf("ParseKeys: %v", err)
	}
	h, err := wire.ParseServerHello(k.Hello([wire.SessionIDLen]byte{1}))
	if err != nil || h.SessionID[0] != 1 || !bytes.Equal(h.AuthKey[:], k.AuthPub) {
		t.Fatalf("hello: %v", err)
	}
}
