//go:build !js

package boltstore

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/core/store"
)

// messageBatch is one incoming message's batch, as idbstore's benchmark:
// the message, the ratchet state, a dedup record and a counter (4 puts,
// ~2.5 KB). n makes the keys unique.
func messageBatch(conn string, n int64) *store.Batch {
	var b store.Batch
	b.Put("c.msg", fmt.Sprintf("%s/%016x", conn, n), benchMsg)
	b.Put("a.ratchet", conn, benchRatchet)
	b.Put("a.seen", fmt.Sprintf("%s/%016x", conn, n), []byte{1})
	b.Put("c.seq", conn, []byte(fmt.Sprint(n)))
	return &b
}

var benchMsg, benchRatchet = make([]byte, 300), make([]byte, 2048)

// applyFunc is how a benchmark writes one batch: through Apply (group
// commit) or straight into its own bbolt transaction (what Apply would be
// without the commit goroutine).
type applyFunc func(s *Store, b *store.Batch) error

var modes = []struct {
	name  string
	apply applyFunc
}{
	{"group", func(s *Store, b *store.Batch) error { return s.Apply(context.Background(), b) }},
	{"direct", func(s *Store, b *store.Batch) error {
		return s.db.Update(func(tx *bolt.Tx) error { return write(tx, b.Ops) })
	}},
}

func benchOpen(b *testing.B, name string) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), name), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// run applies b.N message batches from writers goroutines (each on its own
// conversation) and reports batches per bbolt commit.
func run(b *testing.B, writers int, stores []*Store, apply applyFunc) {
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, conn := stores[w%len(stores)], fmt.Sprintf("conn%03d", w)
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				if err := apply(s, messageBatch(conn, n)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	var commits, batches int64
	for _, s := range stores {
		commits += s.c.commits.Load()
		batches += s.c.batches.Load()
	}
	if commits > 0 {
		b.ReportMetric(float64(batches)/float64(commits), "batches/commit")
	}
}

// BenchmarkApply: small batches into one store, from 1, 16 and 256
// goroutines (many clients sharing a process and a file).
func BenchmarkApply(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		for _, m := range modes {
			b.Run(fmt.Sprintf("writers=%d/%s", writers, m.name), func(b *testing.B) {
				run(b, writers, []*Store{benchOpen(b, "s.db")}, m.apply)
			})
		}
	}
}

// BenchmarkApplyManyStores: the swarm as it is built today, one store
// (file) per member, each member applying its batches one at a time.
func BenchmarkApplyManyStores(b *testing.B) {
	for _, members := range []int{16, 256} {
		b.Run(fmt.Sprintf("stores=%d", members), func(b *testing.B) {
			stores := make([]*Store, members)
			for i := range stores {
				stores[i] = benchOpen(b, fmt.Sprintf("m%03d.db", i))
			}
			run(b, members, stores, modes[0].apply)
		})
	}
}

// BenchmarkList10k reads a chat of 10,000 messages of 300 bytes (as
// idbstore's benchmark of the same name).
func BenchmarkList10k(b *testing.B) {
	ctx := context.Background()
	s := benchOpen(b, "s.db")
	var bt store.Batch
	for i := 0; i < 10000; i++ {
		bt.Put("c.msg", fmt.Sprintf("g1/%016x", i), benchMsg)
	}
	if err := s.Apply(ctx, &bt); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		kvs, err := s.List(ctx, "c.msg", "g1/")
		if err != nil || len(kvs) != 10000 {
			b.Fatalf("List = %d, %v", len(kvs), err)
		}
	}
}

// BenchmarkGet is one point read.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	s := benchOpen(b, "s.db")
	var bt store.Batch
	bt.Put("a.conn", "c1", make([]byte, 500))
	if err := s.Apply(ctx, &bt); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Get(ctx, "a.conn", "c1"); err != nil {
			b.Fatal(err)
		}
	}
}
