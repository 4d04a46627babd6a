package protosuite

import (
	"bytes"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/wire"
)

// A client without the queue's keys cannot read, subscribe, delete,
// suspend or send, and every way of getting it wrong looks the same: AUTH.
func testNoKeyNoAccess(t *testing.T, tg Target) {
	ctx := Ctx(t)
	alice, bob, eve := NewClient(t, tg.URL), NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	Must(t, err)
	key := relayclient.NewSenderKey()
	Must(t, bob.Secure(ctx, q.SenderID, key))
	Must(t, bob.Send(ctx, q.SenderID, key, []byte("for alice only")))

	stolen := q // eve knows both ids but has her own keys
	stolen.AuthKey = relayclient.NewSenderKey()
	unknown := q
	unknown.RecipientID = bytes.Repeat([]byte{7}, 24)
	wrongKind := q
	wrongKind.RecipientID = q.SenderID // a sender id where a recipient id belongs
	for name, bad := range map[string]relayclient.RecipientQueue{"wrong key": stolen, "unknown queue": unknown, "sender id as recipient id": wrongKind} {
		_, err := eve.Get(ctx, bad)
		WantCode(t, name+": GET", err, "AUTH")
		WantCode(t, name+": SUB", eve.Subscribe(ctx, []relayclient.RecipientQueue{bad})[0], "AUTH")
		WantCode(t, name+": DEL", eve.Delete(ctx, bad), "AUTH")
		WantCode(t, name+": OFF", eve.Suspend(ctx, bad), "AUTH")
		WantCode(t, name+": ACK", eve.Ack(ctx, bad, bytes.Repeat([]byte{1}, 24)), "AUTH")
	}
	WantCode(t, "send with another key", eve.Send(ctx, q.SenderID, relayclient.NewSenderKey(), []byte("x")), "AUTH")
	WantCode(t, "send without key", eve.Send(ctx, q.SenderID, nil, []byte("x")), "AUTH")
	WantCode(t, "send to a recipient id", eve.Send(ctx, q.RecipientID, key, []byte("x")), "AUTH")
	WantCode(t, "re-secure with another key", eve.Secure(ctx, q.SenderID, relayclient.NewSenderKey()), "AUTH")
	WantCode(t, "secure unknown queue", eve.Secure(ctx, unknown.RecipientID, relayclient.NewSenderKey()), "AUTH")

	// Alice is unaffected and still gets her one message.
	if m := Next[relayclient.Message](t, alice); string(m.Body) != "for alice only" {
		t.Fatalf("got %q", m.Body)
	}
}

// A recipient command whose tag was made for another session is refused:
// authenticators are bound to the session id.
func testTagBoundToSession(t *testing.T, tg Target) {
	a, b := DialRaw(t, tg.URL), DialRaw(t, tg.URL)
	priv, pub := wire.NewKeyPair()
	_, dh := wire.NewKeyPair()
	mac, err := wire.MACKey(priv, a.Hello.AuthKey[:])
	Must(t, err)
	newQ := wire.Transmission{CorrID: []byte{1}, Code: wire.NEW, Key1: pub, Key2: dh}
	a.Send(wire.AppendTransmission(wire.AppendBatchHeader(nil), &newQ, wire.SignerFor(mac, a.Hello.SessionID[:])))
	ids := a.RecvOne()
	if ids.Code != wire.IDS {
		t.Fatalf("NEW: %v %v", ids.Code, ids.Err)
	}
	get := wire.Transmission{CorrID: []byte{2}, EntityID: ids.RecipientID, Code: wire.GET}
	replayed := wire.AppendTransmission(wire.AppendBatchHeader(nil), &get, wire.SignerFor(mac, a.Hello.SessionID[:]))
	b.Send(replayed)
	if resp := b.RecvOne(); resp.Code != wire.ERR || resp.Err != wire.ErrAuth {
		t.Fatalf("replay in another session: %v %v", resp.Code, resp.Err)
	}
	a.Send(replayed)
	if resp := a.RecvOne(); resp.Code != wire.ERR || resp.Err != wire.ErrCmdProhibited {
		t.Fatalf("GET on own subscription: %v %v", resp.Code, resp.Err)
	}
	noAuth := wire.Transmission{CorrID: []byte{3}, EntityID: ids.RecipientID, Code: wire.SUB}
	a.Send(wire.AppendTransmission(wire.AppendBatchHeader(nil), &noAuth, nil))
	if resp := a.RecvOne(); resp.Code != wire.ERR || resp.Err != wire.ErrNoAuth {
		t.Fatalf("SUB without tag: %v %v", resp.Code, resp.Err)
	}
}
