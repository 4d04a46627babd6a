package cftest_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
)

// Many senders on their own connections (so their commands reach the
// queue's object concurrently) race to fill one queue and to secure
// another: exactly quota SENDs are accepted, each delivered once, and
// exactly one sender key is installed.
func TestWorkerQueueTransitionsAreAtomic(t *testing.T) {
	w := needWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	alice := dial(t, w.URL)
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	const senders = 3 * testQuota
	clients := make([]*relayclient.Client, senders)
	for i := range clients {
		clients[i] = dial(t, w.URL)
		must(t, clients[i].Ping(ctx))
	}
	var mu sync.Mutex
	var accepted []string
	quota := 0
	race(senders, func(i int) {
		body := fmt.Sprintf("from sender %d", i)
		err := clients[i].Send(ctx, q.SenderID, nil, []byte(body))
		mu.Lock()
		defer mu.Unlock()
		var e *relayclient.Error
		switch {
		case err == nil:
			accepted = append(accepted, body)
		case errors.As(err, &e) && e.Code == "QUOTA":
			quota++
		default:
			t.Errorf("sender %d: %v", i, err)
		}
	})
	if len(accepted) != testQuota || quota != senders-testQuota {
		t.Fatalf("%d accepted, %d QUOTA; want %d and %d", len(accepted), quota, testQuota, senders-testQuota)
	}
	var got []string
	for range testQuota {
		m := nextMessage(t, ctx, alice)
		got = append(got, string(m.Body))
		must(t, alice.Ack(ctx, q, m.MsgID))
	}
	sort.Strings(got)
	sort.Strings(accepted)
	if fmt.Sprint(got) != fmt.Sprint(accepted) {
		t.Fatalf("delivered %q, accepted %q", got, accepted)
	}
	// Drained, the queue takes messages again, and nothing else was in it.
	must(t, clients[0].Send(ctx, q.SenderID, nil, []byte("after the race")))
	if m := nextMessage(t, ctx, alice); string(m.Body) != "after the race" {
		t.Fatalf("got %q after the accepted ones", m.Body)
	}

	q2, err := alice.CreateQueue(ctx)
	must(t, err)
	keys := make([][]byte, senders)
	wins := make([]bool, senders)
	race(senders, func(i int) {
		keys[i] = relayclient.NewSenderKey()
		wins[i] = clients[i].Secure(ctx, q2.SenderID, keys[i]) == nil
	})
	winner := -1
	for i, ok := range wins {
		if ok {
			if winner >= 0 {
				t.Fatalf("senders %d and %d both secured the queue", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatal("nobody secured the queue")
	}
	must(t, clients[winner].Send(ctx, q2.SenderID, keys[winner], []byte("the winner")))
	if m := nextMessage(t, ctx, alice); string(m.Body) != "the winner" {
		t.Fatalf("got %q", m.Body)
	}
}

// race runs f(0..n-1) concurrently, released together.
func race(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			f(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

func dial(t *testing.T, url string) *relayclient.Client {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

func nextMessage(t *testing.T, ctx context.Context, c *relayclient.Client) relayclient.Message {
	t.Helper()
	for {
		ev, err := c.Events().Pop(ctx)
		if err != nil {
			t.Fatal("no message")
		}
		if m, ok := ev.(relayclient.Message); ok {
			return m
		}
	}
}
