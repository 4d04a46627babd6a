package ratchet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/crypto/padding"
)

// reportCPU, deferred with the CPU time before the timed loop, reports
// CPU nanoseconds per operation (includes GC).
func reportCPU(b *testing.B, start time.Duration) {
	if start != 0 && b.N > 0 {
		b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
	}
}

var payloads = []struct {
	name string
	size int
}{{"100B", 100}, {"15KB", 15000}}

// BenchmarkEncryptDecrypt: one message, same sending chain (no DH step).
func BenchmarkEncryptDecrypt(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) {
			j, i := pair(b)
			pt, ad := make([]byte, p.size), []byte("ad")
			b.SetBytes(int64(p.size))
			defer reportCPU(b, cpuNow())
			for b.Loop() {
				m, err := j.Encrypt(pt, ad)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := i.Decrypt(m, ad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncryptDecryptAlternating: senders alternate, so every message
// starts a new chain (one DH ratchet step: key generation + 2 X25519).
func BenchmarkEncryptDecryptAlternating(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) {
			j, i := pair(b)
			pt, ad := make([]byte, p.size), []byte("ad")
			b.SetBytes(int64(p.size))
			defer reportCPU(b, cpuNow())
			for b.Loop() {
				m, _ := j.Encrypt(pt, ad)
				if _, err := i.Decrypt(m, ad); err != nil {
					b.Fatal(err)
				}
				j, i = i, j
			}
		})
	}
}

// BenchmarkHandshake: NewInvitation + InitJoiner + InitInviter + the
// first message each way, with every encoding round-tripped.
func BenchmarkHandshake(b *testing.B) {
	ad := []byte("ad")
	defer reportCPU(b, cpuNow())
	for b.Loop() {
		j, i := pair(b)
		m, _ := j.Encrypt([]byte("confirmation"), ad)
		if _, err := i.Decrypt(m, ad); err != nil {
			b.Fatal(err)
		}
		m, _ = i.Encrypt([]byte("info"), ad)
		if _, err := j.Decrypt(m, ad); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReceivePersisted is the agent's receive path for one 100-byte
// message: load the state, Decrypt, save the state.
func BenchmarkReceivePersisted(b *testing.B) {
	j, i := pair(b)
	ad := []byte("ad")
	initial, _ := i.MarshalBinary()
	msgs := make([][]byte, 4096)
	for k := range msgs {
		msgs[k], _ = j.Encrypt(make([]byte, 100), ad)
	}
	state, next := initial, 0
	defer reportCPU(b, cpuNow())
	for b.Loop() {
		if next == len(msgs) { // replay the same messages from the start
			state, next = initial, 0
		}
		var r Ratchet
		if err := r.UnmarshalBinary(state); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Decrypt(msgs[next], ad); err != nil {
			b.Fatal(err)
		}
		state, _ = r.MarshalBinary()
		next++
	}
}

func BenchmarkStateMarshal(b *testing.B) {
	j, _ := pair(b)
	defer reportCPU(b, cpuNow())
	for b.Loop() {
		s, _ := j.MarshalBinary()
		var r Ratchet
		if err := r.UnmarshalBinary(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkX25519(b *testing.B) {
	k1, _ := ecdh.X25519().GenerateKey(rand.Reader)
	k2, _ := ecdh.X25519().GenerateKey(rand.Reader)
	defer reportCPU(b, cpuNow())
	for b.Loop() {
		k1.ECDH(k2.PublicKey())
	}
}

func BenchmarkMLKEM768(b *testing.B) {
	dk, _ := mlkem.GenerateKey768()
	ek := dk.EncapsulationKey()
	_, ct := ek.Encapsulate()
	b.Run("KeyGen", func(b *testing.B) {
		defer reportCPU(b, cpuNow())
		for b.Loop() {
			mlkem.GenerateKey768()
		}
	})
	b.Run("Encaps", func(b *testing.B) {
		defer reportCPU(b, cpuNow())
		for b.Loop() {
			ek.Encapsulate()
		}
	})
	b.Run("Decaps", func(b *testing.B) {
		defer reportCPU(b, cpuNow())
		for b.Loop() {
			dk.Decapsulate(ct)
		}
	})
}

func BenchmarkAESGCM(b *testing.B) {
	for _, p := range payloads {
		b.Run("Seal"+p.name, func(b *testing.B) {
			blk, _ := aes.NewCipher(make([]byte, 32))
			g, _ := cipher.NewGCM(blk)
			pt, nonce := make([]byte, p.size), make([]byte, 12)
			out := make([]byte, 0, p.size+16)
			b.SetBytes(int64(p.size))
			defer reportCPU(b, cpuNow())
			for b.Loop() {
				g.Seal(out[:0], nonce, pt, nil)
			}
		})
	}
}

func BenchmarkChainKDF(b *testing.B) {
	var ck [32]byte
	defer reportCPU(b, cpuNow())
	for b.Loop() {
		ck, _ = kdfChain(ck)
	}
}

// Sizes of the agent's layers around the ratchet, as core/agent/envelope
// writes them (inner tag, agent message head, box envelope). They are
// here only to report bytes on the wire; the agent owns them.
const (
	agentInnerTag = 1                  // 'M'
	agentHead     = 1 + 8 + 32 + 1 + 1 // version, number, prev hash, kind, 0 receipts
	agentBox      = 2 + 24 + 16        // version+tag, nonce, Poly1305 tag
	smpBlock      = 16384
)

// wireBytes is the SEND body for an n-byte application body: the box over
// the padded inner payload, which holds the ratchet message.
func wireBytes(n int) int {
	return agentBox + padding.Size(agentInnerTag+Overhead+agentHead+n)
}

// BenchmarkWireBytes reports, per application body size, the bytes of one
// SEND body and the upload for one message to 100 group members (one
// copy per member connection), against SMP's 16,384-byte block.
func BenchmarkWireBytes(b *testing.B) {
	for _, n := range []int{0, 100, 195, 500, 2000, 8000, 15000} {
		b.Run(fmt.Sprint(n, "B"), func(b *testing.B) {
			for b.Loop() {
				wireBytes(n)
			}
			w := wireBytes(n)
			b.ReportMetric(float64(w), "wire-B/msg")
			b.ReportMetric(float64(100*w), "B/100-members")
			b.ReportMetric(float64(100*smpBlock)/float64(100*w), "x-less-than-SMP")
		})
	}
}
