package agent

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
)

// BenchmarkHandshakeFakeRelay: CreateInvitation, Join, Allow, both
// Connected, over the in-memory relay (CPU cost of the handshake).
func BenchmarkHandshakeFakeRelay(b *testing.B) {
	n := newFakeNet()
	alice := newParty(b, "alice", "ws://relay-a", n.client)
	bob := newParty(b, "bob", "ws://relay-b", n.client)
	for b.Loop() {
		connect(b, alice, bob)
	}
}

// BenchmarkHandshakeRealRelay: the same over loopback WebSocket to an
// in-process relay (round trips and relay persistence included).
func BenchmarkHandshakeRealRelay(b *testing.B) {
	r := startRelay(b)
	alice := newParty(b, "alice", r, realClient)
	bob := newParty(b, "bob", r, realClient)
	for b.Loop() {
		connect(b, alice, bob)
	}
}

// ratchetPair returns a joiner and an inviter ratchet after one exchange.
func ratchetPair(b *testing.B) (j, i *ratchet.Ratchet) {
	secret, keys, err := ratchet.NewInvitation()
	if err != nil {
		b.Fatal(err)
	}
	j, hello, err := ratchet.InitJoiner(keys)
	if err != nil {
		b.Fatal(err)
	}
	i, err = ratchet.InitInviter(secret, hello)
	if err != nil {
		b.Fatal(err)
	}
	ct, _ := j.Encrypt([]byte("x"), ratchetAD)
	if _, err := i.Decrypt(ct, ratchetAD); err != nil {
		b.Fatal(err)
	}
	return j, i
}

// sealMessage is the sender's per-message work: agent message, ratchet,
// padding and box. It returns the SEND body.
func sealMessage(r *ratchet.Ratchet, k *envelope.SharedKey, n uint64, body []byte) []byte {
	m := &envelope.AgentMessage{MsgNum: n, Kind: envelope.KindMessage, Body: body}
	pt, _ := m.Encode()
	ct, _ := r.Encrypt(pt, ratchetAD)
	inner, _ := (&envelope.Inner{Tag: envelope.InnerMessage, Body: ct}).Encode()
	env, _ := envelope.Seal(k, nil, inner)
	return env
}

// openMessage is the receiver's per-message work.
func openMessage(r *ratchet.Ratchet, k *envelope.SharedKey, env []byte) (*envelope.AgentMessage, error) {
	e, err := envelope.Decode(env)
	if err != nil {
		return nil, err
	}
	pt, err := envelope.Open(k, e)
	if err != nil {
		return nil, err
	}
	in, err := envelope.DecodeInner(pt)
	if err != nil {
		return nil, err
	}
	apt, err := r.Decrypt(in.Body, ratchetAD)
	if err != nil {
		return nil, err
	}
	return envelope.DecodeAgentMessage(apt)
}

func boxKeys(b *testing.B) (snd, rcv *envelope.SharedKey) {
	spub, spriv, _ := envelope.GenerateKey()
	rpub, rpriv, _ := envelope.GenerateKey()
	snd, _ = envelope.Precompute(rpub, spriv)
	rcv, _ = envelope.Precompute(spub, rpriv)
	return snd, rcv
}

// BenchmarkEncryptDecrypt100: one 100-byte message sealed (agent message,
// ratchet, padding, box) and opened; reports the SEND body size.
func BenchmarkEncryptDecrypt100(b *testing.B) {
	j, i := ratchetPair(b)
	sk, rk := boxKeys(b)
	body := make([]byte, 100)
	var n uint64
	var size atomic.Int64
	for b.Loop() {
		n++
		env := sealMessage(j, sk, n, body)
		size.Store(int64(len(env)))
		if _, err := openMessage(i, rk, env); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size.Load()), "wire-B/msg")
}

// BenchmarkEncrypt100 and BenchmarkDecrypt100 split the two sides.
func BenchmarkEncrypt100(b *testing.B) {
	j, _ := ratchetPair(b)
	sk, _ := boxKeys(b)
	body := make([]byte, 100)
	var n uint64
	for b.Loop() {
		n++
		sealMessage(j, sk, n, body)
	}
}

func BenchmarkDecrypt100(b *testing.B) {
	j, i := ratchetPair(b)
	sk, rk := boxKeys(b)
	envs := make([][]byte, b.N)
	for k := range envs {
		envs[k] = sealMessage(j, sk, uint64(k+1), make([]byte, 100))
	}
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		if _, err := openMessage(i, rk, envs[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneWay100: messages one way through the agents on the fake
// relay; reports what the receiver sends back (batched receipts) per message.
func BenchmarkOneWay100(b *testing.B) {
	n := newFakeNet()
	var up, down atomic.Int64
	count := func(server string, ctr *atomic.Int64) func(string) RelayClient {
		return func(s string) RelayClient { return &countClient{RelayClient: n.client(s), bytes: ctr} }
	}
	alice := newParty(b, "alice", "ws://relay-a", count("a", &up))
	bob := newParty(b, "bob", "ws://relay-b", count("b", &down))
	ac, _ := connect(b, alice, bob)
	up.Store(0)
	down.Store(0)
	body := make([]byte, 100)
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		alice.a.Send(context.Background(), ac, body)
	}
	alice.waitCount(b.N, is[Delivered])
	b.ReportMetric(float64(up.Load())/float64(b.N), "sender-B/msg")
	b.ReportMetric(float64(down.Load())/float64(b.N), "receipt-B/msg")
}

// countClient counts the bytes of SEND bodies.
type countClient struct {
	RelayClient
	bytes *atomic.Int64
}

func (c *countClient) Send(ctx context.Context, sid, key, body []byte) error {
	err := c.RelayClient.Send(ctx, sid, key, body)
	if err == nil {
		c.bytes.Add(int64(len(body)))
	}
	return err
}
