//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
)

func benchStore(b *testing.B) *Store {
	b.Helper()
	name := fmt.Sprintf("idbstore-bench-%d", dbSeq.Add(1))
	s, err := Open(context.Background(), name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close(); DeleteDatabase(context.Background(), name) })
	return s
}

// BenchmarkApplyMessage is one incoming message's batch: the message, the
// ratchet state, a dedup record and a counter (4 puts, ~2.5 KB).
func BenchmarkApplyMessage(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	msg, ratchet := make([]byte, 300), make([]byte, 2048)
	for i := 0; i < b.N; i++ {
		var bt store.Batch
		bt.Put("c.msg", fmt.Sprintf("g1/%016x", i), msg)
		bt.Put("a.ratchet", "conn1", ratchet)
		bt.Put("a.seen", fmt.Sprintf("conn1/%016x", i), []byte{1})
		bt.Put("c.seq", "g1", []byte{byte(i)})
		if err := s.Apply(ctx, &bt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList10k reads a chat of 10,000 messages of 300 bytes.
func BenchmarkList10k(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	msg := make([]byte, 300)
	for chunk := 0; chunk < 10; chunk++ {
		var bt store.Batch
		for i := 0; i < 1000; i++ {
			bt.Put("c.msg", fmt.Sprintf("g1/%016x", chunk*1000+i), msg)
		}
		if err := s.Apply(ctx, &bt); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kvs, err := s.List(ctx, "c.msg", "g1/")
		if err != nil || len(kvs) != 10000 {
			b.Fatalf("List = %d, %v", len(kvs), err)
		}
	}
}

// BenchmarkGet is one point read.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	var bt store.Batch
	bt.Put("a.conn", "c1", make([]byte, 500))
	if err := s.Apply(ctx, &bt); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Get(ctx, "a.conn", "c1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListBlock reads one block of 256 messages of 300 bytes (what
// a chat's page reads), in clear and sealed at rest: the cost of
// encryption at rest on opening a chat.
func BenchmarkListBlock(b *testing.B) {
	for _, sealed := range []bool{false, true} {
		b.Run(map[bool]string{false: "clear", true: "sealed"}[sealed], func(b *testing.B) {
			ctx := context.Background()
			s := benchStore(b)
			var st store.Store = s
			if sealed {
				w, _ := atrest.KeyWrapper(make([]byte, 32))
				at, err := atrest.Open(ctx, s, atrest.Options{Device: w})
				if err != nil {
					b.Fatal(err)
				}
				st = at
			}
			msg := make([]byte, 300)
			var bt store.Batch
			for i := range 256 {
				bt.Put("c.msg", fmt.Sprintf("g1/%016x", i), msg)
			}
			if err := st.Apply(ctx, &bt); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				kvs, err := st.List(ctx, "c.msg", "g1/")
				if err != nil || len(kvs) != 256 {
					b.Fatalf("List = %d, %v", len(kvs), err)
				}
			}
		})
	}
}
