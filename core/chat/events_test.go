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
