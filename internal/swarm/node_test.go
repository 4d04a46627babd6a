package main

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

func bareNode() *node {
	return &node{direct: map[string]bool{}, received: map[string]time.Time{}, msgText: map[string]string{},
		byText: map[string]string{}, marks: map[string]time.Time{}, fileState: map[string]fileSeen{}}
}

// The benchmark names a message by the text it was sent with: an edit, a
// reaction and a deletion that arrive later are found under that text,
// and a reply's quote and mention under its own.
func TestMarksFollowAMessageByItsFirstText(t *testing.T) {
	n := bareNode()
	ref := chat.ChatRef{GroupID: "g"}
	n.apply([]chat.Event{
		chat.MessageEvent{Chat: ref, Message: chat.Message{MessageID: "m1", Text: "hello", Sender: "b"}},
		chat.UpdateEvent{Chat: ref, Message: chat.Message{MessageID: "m1", Text: "hello, edited", Edited: true}},
		chat.UpdateEvent{Chat: ref, Message: chat.Message{MessageID: "m1", Text: "hello, edited", Edited: true,
			Reactions: []chat.Reaction{{Emoji: "👍", Count: 2}}}},
		chat.MessageEvent{Chat: ref, Message: chat.Message{MessageID: "m2", Text: "@me yes", Sender: "b",
			Quote: &chat.Quote{MessageID: "m1", Text: "hello"}, Mentioned: true}},
		chat.UpdateEvent{Chat: ref, Message: chat.Message{MessageID: "m2", Deleted: "sender"}},
		chat.UpdateEvent{Chat: ref, Message: chat.Message{MessageID: "unknown", Edited: true, Text: "x"}},
	})
	for _, c := range []struct {
		text, mark string
		want       bool
	}{
		{"hello", "", true},
		{"hello", "edited:hello, edited", true},
		{"hello", "reaction:👍:2", true},
		{"hello", "reaction:👍:1", false},
		{"hello", "deleted", false},
		{"@me yes", "quoted", true},
		{"@me yes", "mentioned", true},
		{"@me yes", "deleted", true},
		{"hello, edited", "", false},
		{"x", "edited:x", false},
	} {
		if _, ok := n.markedAt(c.text, c.mark); ok != c.want {
			t.Errorf("%q %q seen %v, want %v", c.text, c.mark, ok, c.want)
		}
	}
	if id := n.messageID("hello"); id != "m1" {
		t.Errorf(`messageID("hello") = %q, want m1`, id)
	}
}

// A star group's host forgets the natives' pairs (else it forwards every
// native's message to all the others) and keeps everything else.
func TestNoForwardingForgetsTheHostsPairs(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	var b store.Batch
	b.Put(introBucket, "g/a/b", []byte("{}"))
	b.Put(introBucket, "g/b/a", []byte("{}"))
	b.Put("c.member", "g/a", []byte("{}"))
	if err := store.Commit(ctx, st, &b); err != nil {
		t.Fatal(err)
	}
	g := &group{nodes: []*node{{st: st}}}
	if err := g.noForwarding(ctx); err != nil {
		t.Fatal(err)
	}
	if kvs, _ := st.List(ctx, introBucket, ""); len(kvs) != 0 {
		t.Errorf("%d pairs left", len(kvs))
	}
	if kvs, _ := st.List(ctx, "c.member", ""); len(kvs) != 1 {
		t.Errorf("members: %d, want 1", len(kvs))
	}
}
