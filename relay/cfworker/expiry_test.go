package cfworker_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/relay/cfworker"
)

// A message nobody acknowledges expires when its queue's alarm rings; the
// subscriber then gets the next message (it is not left waiting on one
// that is gone), and the alarm moves to the next message's expiry.
func TestExpiryAlarm(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixMilli())
	clock := func() time.Time { return time.UnixMilli(now.Load()) }
	s, hs := newSimConfig(t, cfworker.Config{Expiry: time.Hour, Now: clock})
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	bob := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	defer alice.Close()
	defer bob.Close()
	q, err := alice.CreateQueue(ctx)
	must(t, err)
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("old")))
	sentAt := now.Load()
	if m := nextMsg(t, ctx, alice); string(m.Body) != "old" {
		t.Fatalf("got %q", m.Body)
	}
	q1 := onlyQueue(t, s)
	if alarm, _ := q1.state(); alarm != sentAt+time.Hour.Milliseconds() {
		t.Fatalf("alarm at %d, want the message's expiry %d", alarm, sentAt+time.Hour.Milliseconds())
	}
	now.Add(30 * time.Minute.Milliseconds())
	must(t, bob.Send(ctx, q.SenderID, nil, []byte("new"))) // waits behind "old"
	now.Add(31 * time.Minute.Milliseconds())               // "old" has expired, "new" has not
	must(t, s.expire(ctx))
	if m := nextMsg(t, ctx, alice); string(m.Body) != "new" {
		t.Fatalf("got %q after expiry", m.Body)
	}
	alarm, stored := q1.state()
	if want := sentAt + 90*time.Minute.Milliseconds(); alarm != want {
		t.Fatalf("alarm at %d, want %d", alarm, want)
	}
	if stored != 1 {
		t.Fatalf("%d messages stored, want 1 (the expired one removed)", stored)
	}
}

// state returns the queue's alarm and how many messages it stores.
func (q *simQueue) state() (alarm int64, stored int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for k := range q.kv.m {
		if strings.HasPrefix(k, "m/") {
			stored++
		}
	}
	return q.kv.alarm, stored
}

func onlyQueue(t *testing.T, s *sim) *simQueue {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.queues {
		q.mu.Lock()
		ok := q.kv.m["q"] != nil
		q.mu.Unlock()
		if ok {
			return q
		}
	}
	t.Fatal("no queue")
	return nil
}

func nextMsg(t *testing.T, ctx context.Context, c *relayclient.Client) relayclient.Message {
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

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
