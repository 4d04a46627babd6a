package chat

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/store/memstore"
)

// Changes to one message that commit together (reactions of many members
// arriving in one batch) reach the app as one update with the last state,
// after the other events of the transaction that came before it.
func TestUpdatesOfAMessageInOneCommitAreOne(t *testing.T) {
	st := memstore.New()
	c, err := New(Config{Store: st, Agent: &stubAgent{st: st}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ref := ChatRef{GroupID: "g"}
	upd := func(id string, n int) UpdateEvent {
		return UpdateEvent{Chat: ref, Message: Message{MessageID: id, Reactions: []Reaction{{Emoji: "👍", Count: n}}}}
	}
	err = c.update(context.Background(), func(t *tx) error {
		t.emit(upd("m1", 1))
		t.emit(MessageEvent{Chat: ref, Message: Message{MessageID: "m2", Text: "hi"}})
		t.emit(upd("m1", 2))
		t.emit(upd("m3", 1))
		t.emit(upd("m1", 3))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	for len(got) < 3 {
		ev, err := c.Events().Pop(ctx)
		if err != nil {
			t.Fatalf("events %v: %v", got, err)
		}
		switch e := ev.(type) {
		case UpdateEvent:
			got = append(got, fmt.Sprintf("%s:%d", e.Message.MessageID, e.Message.Reactions[0].Count))
		case MessageEvent:
			got = append(got, e.Message.MessageID)
		}
	}
	if want := "m2 m3:1 m1:3"; strings.Join(got, " ") != want {
		t.Fatalf("events %q, want %q", strings.Join(got, " "), want)
	}
	if n := c.Events().Len(); n != 0 {
		t.Fatalf("%d more events", n)
	}
}
