//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// Where to do AES-GCM at rest (docs/backup-and-storage.md): in Go once
// the key is unwrapped, or one WebCrypto call per value. These measure
// opening values of a message's size (and a file part) both ways from
// Go, as the store would: a value at a time, and a page of 100 issued at
// once. Run in Chromium:
//
//	GOOS=js GOARCH=wasm go test -run X -bench Crypto -exec "$PWD/wasm/testrunner/chromium.sh" ./wasm/

func webKey(b *testing.B) safejs.Value {
	p, err := subtle.Call("importKey", "raw", toUint8(make([]byte, 32)), map[string]any{"name": "AES-GCM"}, false, []any{"encrypt", "decrypt"})
	if err != nil {
		b.Fatal(err)
	}
	k, err := bridge.Await(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

func webSeal(b *testing.B, k safejs.Value, plain []byte) []byte {
	p, _ := subtle.Call("encrypt", map[string]any{"name": "AES-GCM", "iv": toUint8(make([]byte, 12))}, k, toUint8(plain))
	buf, err := bridge.Await(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	out, _ := fromArrayBuffer(buf)
	return out
}

func benchGo(b *testing.B, size, n int) {
	w, _ := atrest.KeyWrapper(make([]byte, 32))
	s, err := atrest.Open(context.Background(), memstore.New(), atrest.Options{Device: w})
	if err != nil {
		b.Fatal(err)
	}
	sealed := s.SealPart("f", 0, bytes.Repeat([]byte("m"), size))
	b.SetBytes(int64(size * n))
	for b.Loop() {
		for range n {
			if _, err := s.OpenPart("f", 0, sealed); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchWeb(b *testing.B, size, n int) {
	k := webKey(b)
	sealed := webSeal(b, k, bytes.Repeat([]byte("m"), size))
	b.SetBytes(int64(size * n))
	params := map[string]any{"name": "AES-GCM", "iv": toUint8(make([]byte, 12))}
	for b.Loop() {
		ps := make([]safejs.Value, n)
		for i := range ps { // issued at once, then awaited: a page's values
			ps[i], _ = subtle.Call("decrypt", params, k, toUint8(sealed))
		}
		for _, p := range ps {
			buf, err := bridge.Await(context.Background(), p)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := fromArrayBuffer(buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkCryptoGoValue(b *testing.B)     { benchGo(b, 300, 1) }
func BenchmarkCryptoWebValue(b *testing.B)    { benchWeb(b, 300, 1) }
func BenchmarkCryptoGoPage100(b *testing.B)   { benchGo(b, 300, 100) }
func BenchmarkCryptoWebPage100(b *testing.B)  { benchWeb(b, 300, 100) }
func BenchmarkCryptoGoPart4MiB(b *testing.B)  { benchGo(b, 4<<20, 1) }
func BenchmarkCryptoWebPart4MiB(b *testing.B) { benchWeb(b, 4<<20, 1) }
