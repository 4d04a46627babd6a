package store_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/store/storetest"
)

// BenchmarkExpire: one expiry pass over 100,000 expired messages (1,000
// queues × 100) in the bbolt store, in batches of 1,024 (as the relay
// does) and in one commit (as it did before), while 8 writers keep
// putting messages into other queues. ns/op is the pass; max-put-ms is
// the longest a put waited for its commit during the pass.
func BenchmarkExpire(b *testing.B) {
	for _, limit := range []int{1024, math.MaxInt} {
		name := fmt.Sprintf("batch=%d", limit)
		if limit == math.MaxInt {
			name = "batch=all"
		}
		b.Run(name, func(b *testing.B) { benchExpire(b, limit) })
	}
}

func benchExpire(b *testing.B, limit int) {
	ctx := context.Background()
	s, err := store.OpenBolt(filepath.Join(b.TempDir(), "relay.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	live := make([]store.Queue, 8)
	for i := range live {
		live[i] = storetest.NewQueue()
		if err := s.Create(ctx, live[i]); err != nil {
			b.Fatal(err)
		}
	}
	var maxWait, puts atomic.Int64
	for b.Loop() {
		b.StopTimer()
		storetest.Fill(b, s, 1000, 100, 1)
		b.StartTimer()
		done := make(chan struct{})
		var wg sync.WaitGroup
		for _, q := range live {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					start := time.Now()
					m := store.Message{ID: storetest.NewQueue().SenderID, Timestamp: math.MaxInt64, Body: []byte("new")}
					if err := s.Put(ctx, q.RecipientID, m, math.MaxInt32); err != nil {
						b.Error(err)
						return
					}
					if w := int64(time.Since(start)); w > maxWait.Load() {
						maxWait.Store(w)
					}
					puts.Add(1)
				}
			}()
		}
		if _, err := storetest.ExpireAll(ctx, s, 1000, limit); err != nil {
			b.Fatal(err)
		}
		close(done)
		wg.Wait()
	}
	b.ReportMetric(float64(maxWait.Load())/1e6, "max-put-ms")
	b.ReportMetric(float64(puts.Load())/float64(b.N), "puts/op")
}
