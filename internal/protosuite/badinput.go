package protosuite

import (
	"bytes"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/wire"
)

// Malformed frames get their clear error, the session survives, and
// another client's session keeps working throughout.
func testMalformedFrames(t *testing.T, tg Target) {
	ctx := Ctx(t)
	alice, bob := NewClient(t, tg.URL), NewClient(t, tg.URL)
	q, err := alice.CreateQueue(ctx)
	Must(t, err)
	evil := DialRaw(t, tg.URL)
	ping := wire.AppendTransmission(wire.AppendBatchHeader(nil), &wire.Transmission{CorrID: []byte{9}, Code: wire.PING}, nil)
	sub := wire.AppendTransmission(wire.AppendBatchHeader(nil), &wire.Transmission{CorrID: []byte{5}, EntityID: q.RecipientID, Code: wire.SUB},
		wire.SignerFor(bytes.Repeat([]byte{1}, 32), evil.Hello.SessionID[:]))
	cases := []struct {
		name  string
		frame []byte
		code  wire.ErrCode
		corr  []byte
	}{
		{"garbage", []byte{0xff, 0x13, 0x37}, wire.ErrCmdSyntax, nil},
		{"empty", []byte{}, wire.ErrCmdSyntax, nil},
		{"truncated", sub[:len(sub)-3], wire.ErrCmdSyntax, nil},
		{"bad length", []byte{wire.FrameBatch, 0x7f, 9}, wire.ErrCmdSyntax, nil},
		{"unknown command", []byte{wire.FrameBatch, 3, 0x40 | 30, 1, 4}, wire.ErrCmdUnknown, []byte{4}},
		{"bad parameters", []byte{wire.FrameBatch, 4, 0x40 | byte(wire.ACK), 1, 6, 0}, wire.ErrCmdSyntax, []byte{6}},
		{"server code", []byte{wire.FrameBatch, 3, 0x40 | byte(wire.OK), 1, 8}, wire.ErrCmdProhibited, []byte{8}},
		{"client hello again", wire.AppendClientHello(nil, 1), wire.ErrCmdSyntax, nil},
		{"wrong tag", sub, wire.ErrAuth, []byte{5}},
	}
	for _, c := range cases {
		evil.Send(c.frame)
		got := evil.RecvOne()
		if got.Code != wire.ERR || got.Err != c.code || !bytes.Equal(got.CorrID, c.corr) {
			t.Errorf("%s: got %v %v corr %x, want ERR %v corr %x", c.name, got.Code, got.Err, got.CorrID, c.code, c.corr)
		}
		// The same session still answers, and so does everyone else's.
		evil.Send(ping)
		if p := evil.RecvOne(); p.Code != wire.PONG {
			t.Fatalf("%s: session broken: %v", c.name, p.Code)
		}
		Must(t, bob.Send(ctx, q.SenderID, nil, []byte(c.name)))
		m := Next[relayclient.Message](t, alice)
		if string(m.Body) != c.name {
			t.Fatalf("got %q", m.Body)
		}
		Must(t, alice.Ack(ctx, q, m.MsgID))
	}
	// A batch whose second transmission is cut: the first is still handled
	// (responses come in any order).
	mixed := append(bytes.Clone(ping), 0x20, byte(wire.PING))
	evil.Send(mixed)
	var codes []wire.Code
	for len(codes) < 2 {
		for _, tr := range evil.Recv() {
			codes = append(codes, tr.Code)
		}
	}
	if !(codes[0] == wire.PONG && codes[1] == wire.ERR || codes[0] == wire.ERR && codes[1] == wire.PONG) {
		t.Fatalf("mixed batch: %v", codes)
	}
}
