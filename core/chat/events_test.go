package chat_test

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
)

// Events arrive in order and typed: the contact, then the message.
func TestEventsInOrder(t *testing.T) {
	us := fake(t, false, "alice", "bob")
	a, b := us[0], us[1]
	inv, err := a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := b.Connect(ctx, inv.Link)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	timeout, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	sent := false
	for {
		ev, err := b.Events().Pop(timeout)
		if err != nil {
			t.Fatalf("events so far: %v (%v)", seen, err)
		}
		{
			switch e := ev.(type) {
			case chat.ContactEvent:
				seen = append(seen, "contact:"+e.Contact.Status)
				if e.Contact.Status == "connected" && !sent {
					sent = true
					if _, err := a.SendDirectMessage(ctx, inv.ContactID, "hello"); err != nil {
						t.Fatal(err)
					}
				}
			case chat.MessageEvent:
				if e.Chat.ContactID != bc || e.Message.Text != "hello" || e.Message.Sender != bc {
					t.Fatalf("message event %+v", e)
				}
				if seen[len(seen)-1] != "contact:connected" || seen[0] != "contact:connecting" {
					t.Fatalf("events %v", seen)
				}
				return
			}
		}
	}
}

// A message deleted here goes with an update marked removed; an edit's
// update is not.
func TestRemovedUpdate(t *testing.T) {
	us := fake(t, false, "alice", "bob")
	a, b := us[0], us[1]
	inv, err := a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Connect(ctx, inv.Link); err != nil {
		t.Fatal(err)
	}
	id, err := a.SendDirectMessage(ctx, inv.ContactID, "soon gone")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EditMessage(ctx, id, "edited"); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteMessage(ctx, id, chat.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	timeout, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var updates []chat.Message
	for len(updates) < 2 {
		ev, err := a.Events().Pop(timeout)
		if err != nil {
			t.Fatalf("updates so far: %+v (%v)", updates, err)
		}
		if e, ok := ev.(chat.UpdateEvent); ok && e.Message.MessageID == id {
			updates = append(updates, e.Message)
		}
	}
	if updates[0].Removed || !updates[0].Edited || !updates[1].Removed || updates[1].Deleted != "here" {
		t.Fatalf("updates: %+v", updates)
	}
}
