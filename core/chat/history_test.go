package chat_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// countingStore counts the message records List returns.
type countingStore struct {
	store.Store
	read atomic.Int64
}

func (s *countingStore) List(ctx context.Context, bucket, prefix string) ([]store.KV, error) {
	kvs, err := s.Store.List(ctx, bucket, prefix)
	if bucket == "c.msg" {
		s.read.Add(int64(len(kvs)))
	}
	return kvs, err
}

// tailingStore is a countingStore that reads pages with Tail.
type tailingStore struct{ *countingStore }

func (s tailingStore) Tail(ctx context.Context, bucket, prefix, before string, limit int) ([]store.KV, error) {
	kvs, err := s.Store.(store.Tailer).Tail(ctx, bucket, prefix, before, limit)
	if bucket == "c.msg" {
		s.read.Add(int64(len(kvs)))
	}
	return kvs, err
}

// soloGroups makes a client with n groups of its own and sends count
// messages spread over them unevenly (group i gets about 1 in 2^(i+1)).
// With tail, its store reads pages with Tail, else by blocks of keys.
func soloGroups(t testing.TB, n, count int, tail bool) (*chat.Client, *countingStore, []string) {
	t.Helper()
	st := &countingStore{Store: memstore.New()}
	var cst store.Store = st
	if tail {
		cst = tailingStore{st}
	}
	ag := fakeagent.NewNetwork().NewAgent("solo", cst)
	c, err := chat.New(chat.Config{Store: cst, Agent: ag})
	if err != nil {
		t.Fatal(err)
	}
	ag.SetHandler(c.HandleEvent)
	t.Cleanup(func() { ag.Close(); c.Close() })
	var gids []string
	for i := range n {
		g, err := c.CreateGroup(ctx, chat.GroupSettings{DisplayName: fmt.Sprint("g", i)})
		if err != nil {
			t.Fatal(err)
		}
		gids = append(gids, g)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range count {
		g := 0
		for g < n-1 && r.IntN(2) == 0 {
			g++
		}
		if _, err := c.SendGroupMessage(ctx, gids[g], fmt.Sprint("m", i)); err != nil {
			t.Fatal(err)
		}
	}
	return c, st, gids
}

// Every page equals the matching slice of the whole history, read by
// blocks of keys or by Tail.
func TestMessagePages(t *testing.T) {
	for _, tail := range []bool{false, true} {
		t.Run(map[bool]string{false: "blocks", true: "tail"}[tail], func(t *testing.T) { testMessagePages(t, tail) })
	}
}

func testMessagePages(t *testing.T, tail bool) {
	c, _, gids := soloGroups(t, 8, 3000, tail) // from ~1500 messages down to ~20, spread out
	for _, g := range gids {
		ref := chat.ChatRef{GroupID: g}
		all, err := c.Messages(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 7, 50, 300, len(all), len(all) + 5} {
			for _, end := range []int{len(all), len(all) - 1, len(all) / 2, 3, 1} {
				if end < 0 || end > len(all) {
					continue
				}
				p := chat.Page{Limit: limit}
				if end < len(all) {
					p.Before = all[end].MessageID
				}
				got, err := c.Messages(ctx, ref, p)
				if err != nil {
					t.Fatal(err)
				}
				want := all[max(0, end-limit):end]
				if len(got) != len(want) || (len(want) > 0 && (got[0].MessageID != want[0].MessageID || got[len(got)-1].MessageID != want[len(want)-1].MessageID)) {
					t.Fatalf("group of %d, limit %d before #%d: got %d messages, want %d (%v…)", len(all), limit, end, len(got), len(want), got)
				}
			}
		}
		if got, _ := c.Messages(ctx, ref, chat.Page{Before: all[len(all)-1].MessageID}); len(got) != len(all)-1 {
			t.Fatalf("no limit, before the last: %d messages, want %d", len(got), len(all)-1)
		}
	}
	if _, err := c.Messages(ctx, chat.ChatRef{GroupID: gids[0]}, chat.Page{Limit: 5, Before: "nope"}); chat.ErrorCode(err) != chat.CodeNotFound {
		t.Fatalf("unknown before: %v, want NOT_FOUND", err)
	}
	other, _ := c.Messages(ctx, chat.ChatRef{GroupID: gids[1]})
	if _, err := c.Messages(ctx, chat.ChatRef{GroupID: gids[0]}, chat.Page{Limit: 5, Before: other[0].MessageID}); chat.ErrorCode(err) != chat.CodeNotFound {
		t.Fatalf("before from another chat: %v, want NOT_FOUND", err)
	}
	if _, err := c.Messages(ctx, chat.ChatRef{GroupID: gids[0]}, chat.Page{Limit: -1}); chat.ErrorCode(err) != chat.CodeBadRequest {
		t.Fatalf("negative limit: %v, want BAD_REQUEST", err)
	}
}

// A page of 50 out of 10,000 messages reads a few hundred records, not
// the whole chat (a count of records, not a timing); by Tail, exactly 50.
func TestMessagePageReadsLittle(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 messages")
	}
	for _, tail := range []bool{false, true} {
		t.Run(map[bool]string{false: "blocks", true: "tail"}[tail], func(t *testing.T) { testMessagePageReadsLittle(t, tail) })
	}
}

func testMessagePageReadsLittle(t *testing.T, tail bool) {
	c, st, gids := soloGroups(t, 1, 10000, tail)
	ref := chat.ChatRef{GroupID: gids[0]}
	st.read.Store(0)
	page, err := c.Messages(ctx, ref, chat.Page{Limit: 50})
	if err != nil || len(page) != 50 || page[49].Text != "m9999" {
		t.Fatalf("newest page: %d messages, last %+v (%v)", len(page), page[len(page)-1], err)
	}
	first := st.read.Load()
	st.read.Store(0)
	older, err := c.Messages(ctx, ref, chat.Page{Limit: 50, Before: page[0].MessageID})
	if err != nil || len(older) != 50 || older[49].Text != "m9949" {
		t.Fatalf("older page: %d messages (%v)", len(older), err)
	}
	if n := st.read.Load(); first > 1000 || n > 1000 || (tail && (first != 50 || n != 50)) {
		t.Fatalf("a page of 50 read %d and %d message records (the chat has 10,000)", first, n)
	}
	t.Logf("records read for a page of 50 of 10,000: %d (newest), %d (the page before)", first, st.read.Load())
}
