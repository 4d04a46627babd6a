package atrest_test

import (
	"crypto/aes"
	"crypto/cipher"
	"testing"
)

// AES-256-GCM alone, as the decorator uses it: a message-sized value and
// a file segment (docs/backup-and-storage.md has the wasm numbers).
func BenchmarkGCM300(b *testing.B) {
	blk, _ := aes.NewCipher(make([]byte, 32))
	g, _ := cipher.NewGCM(blk)
	p := make([]byte, 300)
	n := make([]byte, 12)
	out := make([]byte, 0, 400)
	b.SetBytes(300)
	for b.Loop() {
		out = g.Seal(out[:0], n, p, []byte("ad"))
	}
}

func BenchmarkGCM64K(b *testing.B) {
	blk, _ := aes.NewCipher(make([]byte, 32))
	g, _ := cipher.NewGCM(blk)
	p := make([]byte, 65536)
	n := make([]byte, 12)
	out := make([]byte, 0, 70000)
	b.SetBytes(65536)
	for b.Loop() {
		out = g.Seal(out[:0], n, p, []byte("ad"))
	}
}
