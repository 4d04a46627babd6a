// Package storetest is the conformance suite every relay queue store
// (relay/store.Mem, relay/store.Bolt, the Durable Objects store) passes.
//
// Layer: test helper above relay/store. Run it from an implementation's
// tests: storetest.Run(t, func(t *testing.T) store.Store { ... }).
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/relay/store"
)

func rnd(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// NewQueue returns a queue record with random ids and keys.
func NewQueue() store.Queue {
	return store.Queue{RecipientID: rnd(24), SenderID: rnd(24), RecipientKey: rnd(32), RecipientMAC: rnd(32), BoxKey: rnd(32)}
}

func msg(ts int64, body string) store.Message {
	return store.Message{ID: rnd(24), Timestamp: ts, Body: []byte(body)}
}

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("Queues", func(t *testing.T) { testQueues(t, open(t)) })
	t.Run("Messages", func(t *testing.T) { testMessages(t, open(t)) })
	t.Run("QuotaAndExpiry", func(t *testing.T) { testQuota(t, open(t)) })
	t.Run("ExpiryInBatches", func(t *testing.T) { testExpiryBatches(t, open(t)) })
	t.Run("IdleQueues", func(t *testing.T) { testIdleQueues(t, open(t)) })
}

func want(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got %v, want %v", what, err, target)
	}
}

func testQueues(t *testing.T, s store.Store) {
	ctx := context.Background()
	defer s.Close()
	q := NewQueue()
	want(t, "create", s.Create(ctx, q), nil)
	want(t, "create again", s.Create(ctx, q), store.ErrDuplicate)
	got, err := s.BySender(ctx, q.SenderID)
	want(t, "by sender", err, nil)
	if !bytes.Equal(got.RecipientID, q.RecipientID) || got.Secured() || !bytes.Equal(got.BoxKey, q.BoxKey) {
		t.Fatalf("by sender: %+v", got)
	}
	_, err = s.ByRecipient(ctx, q.SenderID)
	want(t, "sender id as recipient id", err, store.ErrNotFound)
	_, err = s.BySender(ctx, q.RecipientID)
	want(t, "recipient id as sender id", err, store.ErrNotFound)
	sk, sm := rnd(32), rnd(32)
	want(t, "secure", s.Secure(ctx, q.RecipientID, sk, sm), nil)
	want(t, "secure same key", s.Secure(ctx, q.RecipientID, sk, sm), nil)
	want(t, "secure other key", s.Secure(ctx, q.RecipientID, rnd(32), sm), store.ErrAuth)
	got, _ = s.ByRecipient(ctx, q.RecipientID)
	if !bytes.Equal(got.SenderKey, sk) || !bytes.Equal(got.SenderMAC, sm) {
		t.Fatal("sender key not stored")
	}
	want(t, "put", s.Put(ctx, q.RecipientID, msg(1, "a"), 10), nil)
	want(t, "suspend", s.Suspend(ctx, q.RecipientID), nil)
	want(t, "put suspended", s.Put(ctx, q.RecipientID, msg(1, "b"), 10), store.ErrSuspended)
	_, err = s.Peek(ctx, q.RecipientID, 0)
	want(t, "peek suspended", err, nil)
	want(t, "delete", s.Delete(ctx, q.RecipientID), nil)
	_, err = s.BySender(ctx, q.SenderID)
	want(t, "by sender after delete", err, store.ErrNotFound)
	want(t, "delete again", s.Delete(ctx, q.RecipientID), store.ErrNotFound)
	want(t, "put unknown", s.Put(ctx, q.RecipientID, msg(1, "c"), 10), store.ErrNotFound)

	// Looked up before it existed (a store may remember the miss), then created.
	late := NewQueue()
	_, err = s.ByRecipient(ctx, late.RecipientID)
	want(t, "before create", err, store.ErrNotFound)
	_, err = s.BySender(ctx, late.SenderID)
	want(t, "before create", err, store.ErrNotFound)
	want(t, "create late", s.Create(ctx, late), nil)
	_, err = s.ByRecipient(ctx, late.RecipientID)
	want(t, "by recipient after create", err, nil)
	_, err = s.BySender(ctx, late.SenderID)
	want(t, "by sender after create", err, nil)
	want(t, "delete late", s.Delete(ctx, late.RecipientID), nil)
	_, err = s.BySender(ctx, late.SenderID)
	want(t, "by sender after delete", err, store.ErrNotFound)
}

func testMessages(t *testing.T, s store.Store) {
	ctx := context.Background()
	defer s.Close()
	q := NewQueue()
	want(t, "create", s.Create(ctx, q), nil)
	_, err := s.Peek(ctx, q.RecipientID, 0)
	want(t, "peek empty", err, store.ErrNoMsg)
	m1, m2, m3 := msg(10, "one"), msg(11, "two"), msg(12, "three")
	for _, m := range []store.Message{m1, m2, m3} {
		want(t, "put", s.Put(ctx, q.RecipientID, m, 10), nil)
	}
	got, err := s.Peek(ctx, q.RecipientID, 0)
	if err != nil || !bytes.Equal(got.ID, m1.ID) || string(got.Body) != "one" || got.Timestamp != 10 {
		t.Fatalf("peek: %+v %v", got, err)
	}
	got, _ = s.Peek(ctx, q.RecipientID, 0)
	if !bytes.Equal(got.ID, m1.ID) {
		t.Fatal("peek is not idempotent")
	}
	want(t, "ack unknown", s.Ack(ctx, q.RecipientID, rnd(24)), store.ErrNoMsg)
	want(t, "ack", s.Ack(ctx, q.RecipientID, m1.ID), nil)
	want(t, "ack again", s.Ack(ctx, q.RecipientID, m1.ID), store.ErrNoMsg)
	got, _ = s.Peek(ctx, q.RecipientID, 0)
	if string(got.Body) != "two" {
		t.Fatalf("after ack: %q", got.Body)
	}
	got, _ = s.Peek(ctx, q.RecipientID, 12)
	if string(got.Body) != "three" {
		t.Fatalf("peek skipping expired: %q", got.Body)
	}
	want(t, "ack skipping", s.Ack(ctx, q.RecipientID, m3.ID), nil)
	_, err = s.Peek(ctx, q.RecipientID, 0)
	want(t, "peek drained", err, store.ErrNoMsg)
}

func testQuota(t *testing.T, s store.Store) {
	ctx := context.Background()
	defer s.Close()
	q := NewQueue()
	want(t, "create", s.Create(ctx, q), nil)
	var ms []store.Message
	for i := 0; i < 3; i++ {
		ms = append(ms, msg(int64(100+i), "x"))
		want(t, "put", s.Put(ctx, q.RecipientID, ms[i], 3), nil)
	}
	want(t, "put over quota", s.Put(ctx, q.RecipientID, msg(200, "y"), 3), store.ErrQuota)
	want(t, "ack one", s.Ack(ctx, q.RecipientID, ms[0].ID), nil)
	want(t, "put while not drained", s.Put(ctx, q.RecipientID, msg(200, "y"), 3), store.ErrQuota)
	want(t, "ack all", s.Ack(ctx, q.RecipientID, ms[2].ID), nil)
	want(t, "put after drain", s.Put(ctx, q.RecipientID, msg(200, "z"), 3), nil)
	n, err := ExpireAll(ctx, s, 201, 1)
	if err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	_, err = s.Peek(ctx, q.RecipientID, 0)
	want(t, "peek after expire", err, store.ErrNoMsg)
}

// ExpireAll runs ExpireBatch from the start until its cursor is nil and
// returns how many messages it deleted.
func ExpireAll(ctx context.Context, s store.Store, before int64, limit int) (int, error) {
	total := 0
	var cur []byte
	for {
		n, next, err := s.ExpireBatch(ctx, before, cur, limit)
		total += n
		if err != nil || next == nil {
			return total, err
		}
		cur = next
	}
}
