package cfworker_test

import (
	"context"
	"errors"
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

// A queue nobody subscribed, read or sent to for the queue expiry is
// deleted when its alarm rings (its sender then gets AUTH); one whose
// subscriber still has its socket is kept, and its alarm moves on.
func TestIdleQueueExpiresByAlarm(t *testing.T) {
	const week = 7 * 24 * time.Hour
	var now atomic.Int64
	now.Store(time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC).UnixMilli())
	clock := func() time.Time { return time.UnixMilli(now.Load()) }
	s, hs := newSimConfig(t, cfworker.Config{QueueExpiry: week, Now: clock})
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gone := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	keeper := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	bob := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	defer keeper.Close()
	defer bob.Close()
	idle, err := gone.CreateQueue(ctx)
	must(t, err)
	held, err := keeper.CreateQueue(ctx)
	must(t, err)
	must(t, bob.Ping(ctx)) // connected: three sessions
	gone.Close()
	for deadline := time.Now().Add(10 * time.Second); s.sessionCount() > 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) { // keeper and bob; gone's socket must have gone
			t.Fatal("the closed session is still connected")
		}
	}
	idleAt := time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC).Add(week).UnixMilli() // end of its day + a week
	for _, q := range s.queueStates() {
		if q.alarm != idleAt {
			t.Fatalf("a new queue's alarm at %d, want its idle time %d", q.alarm, idleAt)
		}
	}
	now.Store(idleAt)
	must(t, s.expire(ctx))
	if err := bob.Send(ctx, idle.SenderID, nil, []byte("x")); !errors.Is(err, relayclient.ErrAuth) {
		t.Fatalf("SEND to the idle queue: %v, want AUTH", err)
	}
	qs := s.queueStates()
	if len(qs) != 1 || qs[0].alarm <= idleAt {
		t.Fatalf("%d queues left (want the subscribed one), alarm %v", len(qs), qs)
	}
	must(t, bob.Send(ctx, held.SenderID, nil, []byte("still here")))
	if m := nextMsg(t, ctx, keeper); string(m.Body) != "still here" {
		t.Fatalf("got %q", m.Body)
	}
}

// A WebSocket session creates at most NewBurst queues at once (RATE after).
func TestSessionNewRate(t *testing.T) {
	_, hs := newSimConfig(t, cfworker.Config{NewBurst: 3, NewRate: 0.001})
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	defer c.Close()
	for i := range 3 {
		if _, err := c.CreateQueue(ctx); err != nil {
			t.Fatalf("queue %d: %v", i, err)
		}
	}
	if _, err := c.CreateQueue(ctx); !errors.Is(err, relayclient.ErrRate) {
		t.Fatalf("fourth NEW: %v, want RATE", err)
	}
}

type queueInfo struct{ alarm int64 }

func (s *sim) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// queueStates returns the alarms of the queues that exist.
func (s *sim) queueStates() []queueInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []queueInfo
	for _, q := range s.queues {
		q.mu.Lock()
		if q.kv.m["q"] != nil {
			out = append(out, queueInfo{q.kv.alarm})
		}
		q.mu.Unlock()
	}
	return out
}
