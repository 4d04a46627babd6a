package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/store/storetest"
)

func TestMem(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return store.NewMem() })
}

func TestBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.OpenBolt(filepath.Join(t.TempDir(), "relay.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestBoltReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "relay.db")
	s, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	q := storetest.NewQueue()
	if err := s.Create(ctx, q); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ { // concurrent writers share group commits
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := bytes.Repeat([]byte{byte(i)}, 24)
			if err := s.Put(ctx, q.RecipientID, store.Message{ID: id, Timestamp: int64(i), Body: []byte("secret-ciphertext")}, 128); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	s.Close()
	if s.Stats.Commits >= 50 {
		t.Logf("no grouping happened: %d commits for 50 puts", s.Stats.Commits)
	}
	s, err = store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for {
		m, err := s.Peek(ctx, q.RecipientID, 0)
		if err != nil {
			break
		}
		n++
		if err := s.Ack(ctx, q.RecipientID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n != 50 {
		t.Fatalf("%d messages after reopen, want 50", n)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// A Bolt expiry batch looks at no more than its limit: a pass over many
// expired messages is many commits.
func TestBoltExpireBatchIsBounded(t *testing.T) {
	ctx := context.Background()
	s, err := store.OpenBolt(filepath.Join(t.TempDir(), "relay.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := storetest.NewQueue()
	if err := s.Create(ctx, q); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		m := store.Message{ID: bytes.Repeat([]byte{byte(i)}, 24), Timestamp: 1, Body: []byte("old")}
		if err := s.Put(ctx, q.RecipientID, m, 128); err != nil {
			t.Fatal(err)
		}
	}
	var cur []byte
	for _, want := range []int{3, 3, 3, 1} {
		n, next, err := s.ExpireBatch(ctx, 2, cur, 3)
		if err != nil || n != want || (next == nil) != (want == 1) {
			t.Fatalf("batch: %d deleted, next %x, %v; want %d", n, next, err, want)
		}
		cur = next
	}
}
