package rules

import (
	"bytes"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/store/record"
	"github.com/sxweb/sxweb/relay/wire"
)

var session = bytes.Repeat([]byte{6}, wire.SessionIDLen)

// signed returns t as the relay decodes it after the client tagged it with
// mac (nil: no tag).
func signed(t *testing.T, tr wire.Transmission, mac []byte) *wire.Transmission {
	t.Helper()
	var sign wire.Signer
	if mac != nil {
		sign = wire.SignerFor(mac, session)
	}
	f := wire.AppendTransmission(nil, &tr, sign)
	raw, _, err := wire.NextRaw(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := wire.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func TestPrecheck(t *testing.T) {
	id := bytes.Repeat([]byte{1}, wire.IDLen)
	for _, c := range []struct {
		name string
		t    wire.Transmission
		err  error
		want wire.ErrCode
	}{
		{"ping", wire.Transmission{Code: wire.PING}, nil, 0},
		{"unknown", wire.Transmission{}, wire.ErrUnknown, wire.ErrCmdUnknown},
		{"syntax", wire.Transmission{}, wire.ErrSyntax, wire.ErrCmdSyntax},
		{"server code", wire.Transmission{Code: wire.OK}, nil, wire.ErrCmdProhibited},
		{"SUB without entity", wire.Transmission{Code: wire.SUB, Auth: make([]byte, 16)}, nil, wire.ErrCmdSyntax},
		{"NEW with entity", wire.Transmission{Code: wire.NEW, EntityID: id, Auth: make([]byte, 16)}, nil, wire.ErrCmdSyntax},
		{"SUB without tag", wire.Transmission{Code: wire.SUB, EntityID: id}, nil, wire.ErrNoAuth},
		{"SEND without tag", wire.Transmission{Code: wire.SEND, EntityID: id}, nil, 0},
	} {
		if got := Precheck(&c.t, c.err); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// queue returns a queue whose recipient key is rpriv's, secured with
// spriv's key when spriv is not nil, with the MAC keys a relay keeps.
func queue(t *testing.T, relay, rpriv, spriv []byte) *record.Queue {
	relayPub, _ := wire.PublicKey(relay)
	rmac, _ := wire.MACKey(rpriv, relayPub)
	q := &record.Queue{RecipientMAC: rmac}
	if spriv != nil {
		spub, _ := wire.PublicKey(spriv)
		q.SenderKey = spub
		q.SenderMAC, _ = wire.MACKey(spriv, relayPub)
	}
	return q
}

func TestAuthentication(t *testing.T) {
	relay, _ := wire.NewKeyPair()
	relayPub, _ := wire.PublicKey(relay)
	rpriv, rpub := wire.NewKeyPair()
	spriv, spub := wire.NewKeyPair()
	other, _ := wire.NewKeyPair()
	rmac, _ := wire.MACKey(rpriv, relayPub)
	smac, _ := wire.MACKey(spriv, relayPub)
	omac, _ := wire.MACKey(other, relayPub)
	_, dh := wire.NewKeyPair()
	id := bytes.Repeat([]byte{1}, wire.IDLen)

	nq, srvPub, code := NewQueue(relay, session, signed(t, wire.Transmission{Code: wire.NEW, Key1: rpub, Key2: dh}, rmac), time.UnixMilli(3*int64(dayMs)+5), Days)
	if code != 0 || !bytes.Equal(nq.RecipientMAC, rmac) || len(srvPub) != wire.KeyLen || len(nq.BoxKey) != 32 || nq.Active != 3 || nq.RecipientID != nil {
		t.Fatalf("NEW: %v %+v", code, nq)
	}
	if _, _, code := NewQueue(relay, session, signed(t, wire.Transmission{Code: wire.NEW, Key1: rpub, Key2: dh}, omac), time.Now(), Days); code != wire.ErrAuth {
		t.Fatalf("NEW tagged by another key: %v", code)
	}

	q := queue(t, relay, rpriv, nil)
	sub := wire.Transmission{Code: wire.SUB, EntityID: id}
	if !Recipient(q, session, signed(t, sub, rmac)) || Recipient(q, session, signed(t, sub, omac)) || Recipient(nil, session, signed(t, sub, rmac)) {
		t.Fatal("Recipient: accepts only the recipient key's tag on an existing queue")
	}

	skey := wire.Transmission{Code: wire.SKEY, EntityID: id, Key1: spub}
	if mac, ok := SKey(relay, q, session, signed(t, skey, smac)); !ok || !bytes.Equal(mac, smac) {
		t.Fatal("SKEY by the key it installs refused")
	}
	if _, ok := SKey(relay, q, session, signed(t, skey, omac)); ok {
		t.Fatal("SKEY tagged by another key accepted")
	}
	if _, ok := SKey(relay, nil, session, signed(t, skey, smac)); ok {
		t.Fatal("SKEY on no queue accepted")
	}
	if ch, ok := Secure(q, spub, smac); !ch || !ok {
		t.Fatal("first Secure")
	}
	if ch, ok := Secure(q, spub, smac); ch || !ok {
		t.Fatal("Secure with the same key again: a retry, no change")
	}
	_, opub := wire.NewKeyPair()
	if _, ok := Secure(q, opub, omac); ok {
		t.Fatal("Secure with another key accepted")
	}
}

func TestSend(t *testing.T) {
	relay, _ := wire.NewKeyPair()
	relayPub, _ := wire.PublicKey(relay)
	rpriv, _ := wire.NewKeyPair()
	spriv, _ := wire.NewKeyPair()
	smac, _ := wire.MACKey(spriv, relayPub)
	other, _ := wire.NewKeyPair()
	omac, _ := wire.MACKey(other, relayPub)
	id := bytes.Repeat([]byte{1}, wire.IDLen)
	send := wire.Transmission{Code: wire.SEND, EntityID: id, Body: []byte("hello")}
	big := wire.Transmission{Code: wire.SEND, EntityID: id, Body: make([]byte, 11)}
	open, secured := queue(t, relay, rpriv, nil), queue(t, relay, rpriv, spriv)
	suspended := queue(t, relay, rpriv, spriv)
	suspended.Suspended = true
	for _, c := range []struct {
		name string
		q    *record.Queue
		t    *wire.Transmission
		want wire.ErrCode
	}{
		{"untagged to an unsecured queue", open, signed(t, send, nil), 0},
		{"tagged by the sender key", secured, signed(t, send, smac), 0},
		{"untagged to a secured queue", secured, signed(t, send, nil), wire.ErrAuth},
		{"tagged by another key", secured, signed(t, send, omac), wire.ErrAuth},
		{"tagged to an unsecured queue", open, signed(t, send, smac), wire.ErrAuth},
		{"no queue", nil, signed(t, send, nil), wire.ErrAuth},
		{"suspended", suspended, signed(t, send, smac), wire.ErrAuth},
		{"too large, before anything else", nil, signed(t, big, nil), wire.ErrLargeMsg},
	} {
		if got := Send(c.q, 10, session, c.t); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The quota: once full, nothing until drained to empty.
func TestAdmit(t *testing.T) {
	if ok, full := Admit(1, false, 2); !ok || full {
		t.Fatal("room left")
	}
	if ok, full := Admit(2, false, 2); ok || !full {
		t.Fatal("at the quota")
	}
	if ok, _ := Admit(0, true, 2); ok {
		t.Fatal("full and not drained")
	}
	if Drained(true, 1) != true || Drained(true, 0) != false || Drained(false, 3) != false {
		t.Fatal("Drained")
	}
}

func TestIdle(t *testing.T) {
	const week = 7 * 24 * time.Hour
	day := Day(time.Date(2025, 3, 1, 23, 59, 0, 0, time.UTC))
	if Day(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) != day || Day(time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)) != day+1 {
		t.Fatal("Day is not the UTC day")
	}
	endOfDay := time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	if Idle(day, endOfDay.Add(week-time.Millisecond), week) || !Idle(day, endOfDay.Add(week), week) {
		t.Fatal("idle from the end of its last active day plus the expiry")
	}
	if !IdleAtOf(day, week, Days).Equal(endOfDay.Add(week)) {
		t.Fatal("IdleAt")
	}
	if Idle(0, endOfDay.Add(100*week), week) || Idle(day, endOfDay.Add(100*week), 0) {
		t.Fatal("unknown day or no expiry: never idle")
	}
	if !Touch(day-1, day) || Touch(day, day) {
		t.Fatal("Touch: once a day")
	}
}

// The allowance: burst at once, then rate per second, never above burst.
func TestBucket(t *testing.T) {
	var b Bucket
	t0 := time.Unix(1000, 0)
	for i := range 3 {
		if !b.Take(t0, 3, 2) {
			t.Fatalf("token %d of the burst refused", i)
		}
	}
	if b.Take(t0, 3, 2) {
		t.Fatal("a fourth token at once")
	}
	if !b.Take(t0.Add(500*time.Millisecond), 3, 2) || b.Take(t0.Add(500*time.Millisecond), 3, 2) {
		t.Fatal("half a second at 2 per second: one token")
	}
	b.Give(3)
	if !b.Take(t0.Add(500*time.Millisecond), 3, 2) {
		t.Fatal("a token given back")
	}
	if !b.Full(t0.Add(time.Hour), 3, 2) || b.tokens != 3 {
		t.Fatalf("refilled to %v, want the burst of 3", b.tokens)
	}
}
