package protosuite

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/sxweb/sxweb/relay/wire"
)

// httpSession is a plain-HTTP client: a session token from a GET, then
// POSTs of one transmission each.
type httpSession struct {
	t    *testing.T
	url  string
	sid  []byte
	auth []byte // the relay's auth public key
}

func newHTTPSession(t *testing.T, url string) *httpSession {
	resp, err := http.Get(url)
	Must(t, err)
	f, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	Must(t, err)
	h, err := wire.ParseServerHello(f)
	Must(t, err)
	return &httpSession{t: t, url: url, sid: bytes.Clone(h.SessionID[:]), auth: bytes.Clone(h.AuthKey[:])}
}

// frame encodes tr as a POST body, tagged with priv's key if priv is set.
func (s *httpSession) frame(tr wire.Transmission, priv []byte) []byte {
	var sign wire.Signer
	if priv != nil {
		mac, err := wire.MACKey(priv, s.auth)
		Must(s.t, err)
		sign = wire.SignerFor(mac, s.sid)
	}
	return wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, s.sid), &tr, sign)
}

// post sends a POST body and returns its one response.
func (s *httpSession) post(body []byte) wire.Transmission {
	s.t.Helper()
	ts := Post(s.t, s.url, body)
	if len(ts) != 1 {
		s.t.Fatalf("%d responses, want 1: %+v", len(ts), ts)
	}
	return ts[0]
}

func wantResp(t *testing.T, what string, got wire.Transmission, code wire.Code, errCode wire.ErrCode) {
	t.Helper()
	if got.Code != code || (code == wire.ERR && got.Err != errCode) {
		t.Fatalf("%s: got %v %v, want %v %v", what, got.Code, got.Err, code, errCode)
	}
}

// What replaying a POST within its session token's hour can do, as
// docs/relay-protocol.md ("Replaying a POST") says: a replayed SEND stores
// the same ciphertext again, a replayed GET returns the same (sealed)
// message, a replayed ACK, SKEY or NEW changes nothing for the victim;
// under another token nothing is accepted.
func testHTTPReplay(t *testing.T, tg Target) {
	s := newHTTPSession(t, tg.HTTPURL)
	rPriv, rPub := wire.NewKeyPair()
	dhPriv, dhPub := wire.NewKeyPair()
	newQ := s.frame(wire.Transmission{CorrID: []byte{1}, Code: wire.NEW, Key1: rPub, Key2: dhPub}, rPriv)
	ids := s.post(newQ)
	wantResp(t, "NEW", ids, wire.IDS, 0)
	box, err := wire.BoxKey(dhPriv, ids.ServerDHKey)
	Must(t, err)
	sPriv, sPub := wire.NewKeyPair()
	skey := s.frame(wire.Transmission{CorrID: []byte{2}, EntityID: ids.SenderID, Code: wire.SKEY, Key1: sPub}, sPriv)
	wantResp(t, "SKEY", s.post(skey), wire.OK, 0)
	send := s.frame(wire.Transmission{CorrID: []byte{3}, EntityID: ids.SenderID, Code: wire.SEND, Body: []byte("once")}, sPriv)
	wantResp(t, "SEND", s.post(send), wire.OK, 0)
	get := s.frame(wire.Transmission{CorrID: []byte{4}, EntityID: ids.RecipientID, Code: wire.GET}, rPriv)

	wantResp(t, "replayed SKEY", s.post(skey), wire.OK, 0) // the same key: a no-op
	wantResp(t, "replayed SEND", s.post(send), wire.OK, 0) // a second copy
	m1 := s.post(get)
	wantResp(t, "GET", m1, wire.MSG, 0)
	if again := s.post(get); !bytes.Equal(again.MsgID, m1.MsgID) || !bytes.Equal(again.Body, m1.Body) {
		t.Fatal("replayed GET: not the same message")
	}
	ack := s.frame(wire.Transmission{CorrID: []byte{5}, EntityID: ids.RecipientID, Code: wire.ACK, MsgID: m1.MsgID}, rPriv)
	wantResp(t, "ACK", s.post(ack), wire.OK, 0)
	wantResp(t, "replayed ACK", s.post(ack), wire.ERR, wire.ErrNoMsg)
	m2 := s.post(get)
	wantResp(t, "GET the copy", m2, wire.MSG, 0)
	b1, ok1 := wire.OpenMsg(nil, m1.Body, m1.MsgID, box)
	b2, ok2 := wire.OpenMsg(nil, m2.Body, m2.MsgID, box)
	if !ok1 || !ok2 || string(b1) != "once" || string(b2) != "once" || bytes.Equal(m1.MsgID, m2.MsgID) {
		t.Fatalf("the replayed SEND: %q %q, want the same body twice under two message ids", b1, b2)
	}
	if other := s.post(newQ); other.Code != wire.IDS || bytes.Equal(other.RecipientID, ids.RecipientID) {
		t.Fatalf("replayed NEW: %v, want IDS of another queue", other.Code)
	}
	// Under a fresh token the same transmissions are refused.
	s2 := newHTTPSession(t, tg.HTTPURL)
	for name, f := range map[string][]byte{"SEND": send, "GET": get, "SKEY": skey, "NEW": newQ} {
		moved := append(wire.AppendHTTPHeader(nil, 1, s2.sid), f[len(wire.AppendHTTPHeader(nil, 1, s.sid)):]...)
		wantResp(t, name+" under another token", s2.post(moved), wire.ERR, wire.ErrAuth)
	}
}
