package protosuite

import (
	"bytes"
	"testing"

	"github.com/sxweb/sxweb/relay/wire"
)

// The plain HTTP form: GET a hello (session token), POST batches.
func testHTTPPost(t *testing.T, tg Target) {
	ctx := Ctx(t)
	s := newHTTPSession(t, tg.HTTPURL)
	sid := s.sid
	priv, pub := wire.NewKeyPair()
	dhPriv, dhPub := wire.NewKeyPair()
	mac, err := wire.MACKey(priv, s.auth)
	Must(t, err)
	sign := wire.SignerFor(mac, sid)
	req := wire.AppendHTTPHeader(nil, 1, sid)
	req = wire.AppendTransmission(req, &wire.Transmission{CorrID: []byte{1}, Code: wire.NEW, Key1: pub, Key2: dhPub}, sign)
	req = wire.AppendTransmission(req, &wire.Transmission{CorrID: []byte{2}, Code: wire.PING}, nil)
	ts := Post(t, tg.HTTPURL, req)
	if len(ts) != 2 {
		t.Fatalf("%d responses", len(ts))
	}
	var ids wire.Transmission
	for _, tr := range ts {
		if tr.Code == wire.IDS {
			ids = tr
		}
	}
	if ids.Code != wire.IDS {
		t.Fatalf("no IDS: %+v", ts)
	}
	// A WebSocket client sends; the HTTP client polls with GET and ACKs.
	bob := NewClient(t, tg.URL)
	Must(t, bob.Send(ctx, ids.SenderID, nil, []byte("via websocket")))
	get := wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, sid), &wire.Transmission{CorrID: []byte{3}, EntityID: ids.RecipientID, Code: wire.GET}, sign)
	ts = Post(t, tg.HTTPURL, get)
	if len(ts) != 1 || ts[0].Code != wire.MSG {
		t.Fatalf("GET: %+v", ts)
	}
	box, _ := wire.BoxKey(dhPriv, ids.ServerDHKey)
	body, ok := wire.OpenMsg(nil, ts[0].Body, ts[0].MsgID, box)
	if !ok || string(body) != "via websocket" {
		t.Fatalf("opened %q %v", body, ok)
	}
	ack := wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, sid), &wire.Transmission{CorrID: []byte{4}, EntityID: ids.RecipientID, Code: wire.ACK, MsgID: ts[0].MsgID}, sign)
	sub := wire.AppendTransmission(ack, &wire.Transmission{CorrID: []byte{5}, EntityID: ids.RecipientID, Code: wire.SUB}, sign)
	got := map[byte]wire.Transmission{}
	for _, tr := range Post(t, tg.HTTPURL, sub) {
		got[tr.CorrID[0]] = tr
	}
	if got[4].Code != wire.OK || got[5].Code != wire.ERR || got[5].Err != wire.ErrCmdProhibited {
		t.Fatalf("ACK/SUB over HTTP: %+v", got)
	}
	forged := bytes.Clone(sid)
	forged[20] ^= 1
	ping := wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, forged), &wire.Transmission{CorrID: []byte{6}, Code: wire.PING}, nil)
	if ts := Post(t, tg.HTTPURL, ping); len(ts) != 1 || ts[0].Err != wire.ErrAuth {
		t.Fatalf("forged session token: %+v", ts)
	}
	if ts := Post(t, tg.HTTPURL, []byte("garbage")); len(ts) != 1 || ts[0].Err != wire.ErrCmdSyntax {
		t.Fatalf("garbage POST: %+v", ts)
	}
}
