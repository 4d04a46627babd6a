package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/sxweb/sxweb/relay/store"
)

// An expiry pass in small batches deletes exactly the expired messages of
// every queue, keeps the others in order, lets a queue that expired to
// empty take messages again, and keeps what was written between batches.
func testExpiryBatches(t *testing.T, s store.Store) {
	ctx := context.Background()
	defer s.Close()
	const queues, quota = 12, 4
	qs := make([]store.Queue, queues)
	kept := map[int][]string{}
	for i := range qs {
		qs[i] = NewQueue()
		want(t, "create", s.Create(ctx, qs[i]), nil)
		for j := range quota { // queue i: i%5 old messages, then new ones up to quota
			ts := int64(1000 + j)
			if j < i%5 {
				ts = int64(10 + j)
			}
			body := fmt.Sprintf("q%d-m%d", i, j)
			want(t, "put", s.Put(ctx, qs[i].RecipientID, msg(ts, body), quota), nil)
			if ts >= 1000 {
				kept[i] = append(kept[i], body)
			}
		}
		want(t, "put over quota", s.Put(ctx, qs[i].RecipientID, msg(2000, "x"), quota), store.ErrQuota)
	}
	// A pass, 3 messages at a time, with a write between every two batches.
	total, calls := 0, 0
	var cur []byte
	for {
		n, next, err := s.ExpireBatch(ctx, 500, cur, 3)
		want(t, "expire batch", err, nil)
		total += n
		if calls++; calls > queues*quota+queues+1 {
			t.Fatal("expiry pass does not end")
		}
		if next == nil {
			break
		}
		cur = next
		q := NewQueue()
		want(t, "create between batches", s.Create(ctx, q), nil)
		want(t, "put between batches", s.Put(ctx, q.RecipientID, msg(5, "old, but written during the pass"), quota), nil)
		want(t, "delete between batches", s.Delete(ctx, q.RecipientID), nil)
	}
	if total != wantExpired(queues, quota) {
		t.Fatalf("expired %d messages, want %d", total, wantExpired(queues, quota))
	}
	for i, q := range qs {
		for _, body := range kept[i] {
			m, err := s.Peek(ctx, q.RecipientID, 0)
			if err != nil || string(m.Body) != body {
				t.Fatalf("queue %d: got %q %v, want %q", i, m.Body, err, body)
			}
			want(t, "ack", s.Ack(ctx, q.RecipientID, m.ID), nil)
		}
		_, err := s.Peek(ctx, q.RecipientID, 0)
		want(t, fmt.Sprintf("queue %d drained", i), err, store.ErrNoMsg)
		want(t, "put after drain", s.Put(ctx, q.RecipientID, msg(3000, "y"), quota), nil)
	}
	// A queue whose every message expired is empty, so no longer full.
	full := NewQueue()
	want(t, "create", s.Create(ctx, full), nil)
	for range quota {
		want(t, "put", s.Put(ctx, full.RecipientID, msg(1, "old"), quota), nil)
	}
	want(t, "put over quota", s.Put(ctx, full.RecipientID, msg(1, "old"), quota), store.ErrQuota)
	n, err := ExpireAll(ctx, s, 500, 2)
	if err != nil || n != quota {
		t.Fatalf("expire: %d %v, want %d", n, err, quota)
	}
	want(t, "put after expiring to empty", s.Put(ctx, full.RecipientID, msg(3000, "new"), quota), nil)
}

// wantExpired is how many old messages testExpiryBatches puts.
func wantExpired(queues, quota int) int {
	n := 0
	for i := range queues {
		n += min(i%5, quota)
	}
	return n
}

// Fill creates n queues and stores perQueue messages with timestamp ts in
// each, one writer per queue so that the writes share group commits.
func Fill(tb testing.TB, s store.Store, n, perQueue int, ts int64) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for range n {
		q := NewQueue()
		if err := s.Create(ctx, q); err != nil {
			tb.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perQueue {
				if err := s.Put(ctx, q.RecipientID, store.Message{ID: rnd(24), Timestamp: ts, Body: make([]byte, 256)}, perQueue); err != nil {
					tb.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
