package relay_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/relaytest"
	"github.com/sxweb/sxweb/relay/wire"
)

func post(t *testing.T, url string, body []byte) []wire.Transmission {
	t.Helper()
	resp, err := http.Post(url, "application/octet-stream", bytes.NewReader(body))
	must(t, err)
	defer resp.Body.Close()
	f, err := io.ReadAll(resp.Body)
	must(t, err)
	b, err := wire.BatchBody(f)
	must(t, err)
	raws, err := wire.SplitBatch(b)
	must(t, err)
	var ts []wire.Transmission
	for _, x := range raws {
		tr, err := wire.Decode(x)
		must(t, err)
		ts = append(ts, tr)
	}
	return ts
}

// The plain HTTP form: GET a hello (session token), POST batches.
func TestHTTPPost(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := ctxT(t)
	resp, err := http.Get(r.HTTPURL)
	must(t, err)
	f, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h, err := wire.ParseServerHello(f)
	must(t, err)
	sid := h.SessionID[:]

	priv, pub := wire.NewKeyPair()
	dhPriv, dhPub := wire.NewKeyPair()
	mac, err := wire.MACKey(priv, h.AuthKey[:])
	must(t, err)
	sign := wire.SignerFor(mac, sid)
	req := wire.AppendHTTPHeader(nil, 1, sid)
	req = wire.AppendTransmission(req, &wire.Transmission{CorrID: []byte{1}, Code: wire.NEW, Key1: pub, Key2: dhPub}, sign)
	req = wire.AppendTransmission(req, &wire.Transmission{CorrID: []byte{2}, Code: wire.PING}, nil)
	ts := post(t, r.HTTPURL, req)
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
	bob := newClient(t, r.URL)
	must(t, bob.Send(ctx, ids.SenderID, nil, []byte("via websocket")))
	get := wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, sid), &wire.Transmission{CorrID: []byte{3}, EntityID: ids.RecipientID, Code: wire.GET}, sign)
	ts = post(t, r.HTTPURL, get)
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
	for _, tr := range post(t, r.HTTPURL, sub) {
		got[tr.CorrID[0]] = tr
	}
	if got[4].Code != wire.OK || got[5].Code != wire.ERR || got[5].Err != wire.ErrCMD_PROHIBITED {
		t.Fatalf("ACK/SUB over HTTP: %+v", got)
	}

	forged := bytes.Clone(sid)
	forged[20] ^= 1
	ping := wire.AppendTransmission(wire.AppendHTTPHeader(nil, 1, forged), &wire.Transmission{CorrID: []byte{6}, Code: wire.PING}, nil)
	if ts := post(t, r.HTTPURL, ping); len(ts) != 1 || ts[0].Err != wire.ErrAUTH {
		t.Fatalf("forged session token: %+v", ts)
	}
	if ts := post(t, r.HTTPURL, []byte("garbage")); len(ts) != 1 || ts[0].Err != wire.ErrCMD_SYNTAX {
		t.Fatalf("garbage POST: %+v", ts)
	}
	_ = relayclient.MaxBody
}

func TestHTTPPostTooLarge(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	resp, err := http.Post(r.HTTPURL, "application/octet-stream", bytes.NewReader(make([]byte, wire.MaxFrame+1)))
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
