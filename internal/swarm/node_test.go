package main

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
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
