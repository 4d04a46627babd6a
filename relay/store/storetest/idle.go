package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store"
)

// Queues idle past the expiry are found (in batches) and deleted with
// their messages, unless a Put or Touch came between finding and deleting;
// a record without a day is reported apart; Touch never moves a day back.
func testIdleQueues(t *testing.T, s store.Store) {
	ctx := context.Background()
	defer s.Close()
	const expiry = 7 * 24 * time.Hour
	day0 := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	d := rules.Day(day0)
	now := day0.Add(8 * 24 * time.Hour) // day d+8: a queue last active on day d is idle
	mk := func(active uint32) store.Queue {
		q := NewQueue()
		q.Active = active
		want(t, "create", s.Create(ctx, q), nil)
		return q
	}
	idle, busy, unknown, sentTo := mk(d), mk(d+3), mk(0), mk(d)
	want(t, "put", s.Put(ctx, sentTo.RecipientID, msg(day0.Add(5*24*time.Hour).UnixMilli(), "keeps it"), 10), nil)
	gotIdle, gotUnknown := map[string]bool{}, map[string]bool{}
	var cur []byte
	for i := 0; ; i++ {
		id, unk, next, err := s.IdleQueues(ctx, now, expiry, cur, 1)
		want(t, "idle queues", err, nil)
		for _, r := range id {
			gotIdle[string(r)] = true
		}
		for _, r := range unk {
			gotUnknown[string(r)] = true
		}
		if next == nil {
			break
		}
		if cur = next; i > 10 {
			t.Fatal("IdleQueues does not end")
		}
	}
	if len(gotIdle) != 1 || !gotIdle[string(idle.RecipientID)] || len(gotUnknown) != 1 || !gotUnknown[string(unknown.RecipientID)] {
		t.Fatalf("idle %d (want only the idle queue), unknown %d (want only the one without a day)", len(gotIdle), len(gotUnknown))
	}
	want(t, "put to the idle queue", s.Put(ctx, idle.RecipientID, msg(day0.UnixMilli(), "old"), 10), nil) // same day: still idle
	late := mk(d)
	want(t, "touch", s.Touch(ctx, [][]byte{late.RecipientID, busy.RecipientID}, d+2), nil)
	deleted, err := s.DeleteIdle(ctx, [][]byte{idle.RecipientID, late.RecipientID, busy.RecipientID, sentTo.RecipientID}, now, expiry)
	want(t, "delete idle", err, nil)
	if len(deleted) != 1 || !bytes.Equal(deleted[0], idle.RecipientID) {
		t.Fatalf("deleted %d queues, want only the idle one", len(deleted))
	}
	_, err = s.BySender(ctx, idle.SenderID)
	want(t, "idle queue's sender id", err, store.ErrNotFound)
	_, err = s.Peek(ctx, idle.RecipientID, 0)
	want(t, "idle queue's messages", err, store.ErrNotFound)
	if q, err := s.ByRecipient(ctx, busy.RecipientID); err != nil || q.Active != d+3 {
		t.Fatalf("touch moved day %d back to %d (%v)", d+3, q.Active, err)
	}
	if q, _ := s.ByRecipient(ctx, late.RecipientID); q.Active != d+2 {
		t.Fatalf("touched day %d, want %d", q.Active, d+2)
	}
	if q, _ := s.ByRecipient(ctx, sentTo.RecipientID); q.Active != d+5 {
		t.Fatalf("put on day %d left active day %d", d+5, q.Active)
	}
}
