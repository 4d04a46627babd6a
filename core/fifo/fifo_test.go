package fifo

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestOrderAndBatch(t *testing.T) {
	q := New[int](10)
	for i := range 5 {
		if err := q.Push(i); err != nil {
			t.Fatal(err)
		}
	}
	b, err := q.PopBatch(context.Background(), 3)
	if err != nil || len(b) != 3 || b[0] != 0 || b[2] != 2 {
		t.Fatalf("PopBatch(3) = %v, %v", b, err)
	}
	b, _ = q.PopBatch(context.Background(), 0)
	if len(b) != 2 || b[0] != 3 || b[1] != 4 {
		t.Fatalf("PopBatch(all) = %v", b)
	}
	if _, ok := q.TryPop(); ok {
		t.Fatal("TryPop on an empty queue")
	}
}

func TestBound(t *testing.T) {
	q := New[int](2)
	q.Push(1)
	q.Push(2)
	if err := q.Push(3); !errors.Is(err, ErrFull) {
		t.Fatalf("Push over the limit = %v, want ErrFull", err)
	}
	if !q.PushDropOldest(3) {
		t.Fatal("PushDropOldest did not drop at the limit")
	}
	b, _ := q.PopBatch(context.Background(), 0)
	if len(b) != 2 || b[0] != 2 || b[1] != 3 {
		t.Fatalf("after dropping the oldest: %v, want [2 3]", b)
	}
	q.SetLimit(3)
	for i := range 3 {
		if err := q.Push(i); err != nil {
			t.Fatalf("push %d under the new limit: %v", i, err)
		}
	}
}

func TestPopWaitsAndClose(t *testing.T) {
	q := New[string](4)
	got := make(chan string)
	go func() {
		v, err := q.Pop(context.Background())
		if err != nil {
			got <- err.Error()
			return
		}
		got <- v
	}()
	time.Sleep(10 * time.Millisecond)
	q.Push("x")
	if v := <-got; v != "x" {
		t.Fatalf("Pop = %q", v)
	}
	q.Push("left")
	q.Close()
	if err := q.Push("late"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Push after Close = %v", err)
	}
	if v, err := q.Pop(context.Background()); err != nil || v != "left" {
		t.Fatalf("Pop after Close = %q, %v: queued items are still taken", v, err)
	}
	if _, err := q.Pop(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Pop on closed and empty = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New[int](1).Pop(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Pop with a cancelled context = %v", err)
	}
}

// Many producers and consumers: every item is taken exactly once.
func TestConcurrent(t *testing.T) {
	const producers, per = 8, 2000
	q := New[int](producers * per)
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				if err := q.Push(p*per + i); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	seen := make([]bool, producers*per)
	var mu sync.Mutex
	var cw sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	taken := 0
	for range 4 {
		cw.Add(1)
		go func() {
			defer cw.Done()
			for {
				b, err := q.PopBatch(ctx, 7)
				if err != nil {
					return
				}
				mu.Lock()
				for _, v := range b {
					if seen[v] {
						t.Errorf("%d taken twice", v)
					}
					seen[v] = true
				}
				taken += len(b)
				if taken == producers*per {
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	cw.Wait()
	if taken != producers*per {
		t.Fatalf("taken %d of %d", taken, producers*per)
	}
}
