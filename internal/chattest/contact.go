package chattest

import (
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

func ContactByInvitation(t *testing.T, mk Factory) {
	us := mk(t, false, "alice", "bob")
	a, b := us[0], us[1]
	ac, bc := connect(t, a, b)
	ca, _ := contactOf(a, ac)
	cb, _ := contactOf(b, bc)
	if ca.DisplayName != "bob" || cb.DisplayName != "alice" {
		t.Fatalf("profiles: %+v %+v", ca, cb)
	}
	must[string](t)(a.SendDirectMessage(ctx, ac, "hi bob"))
	waitFor(t, "message", func() bool { ms, _ := b.Messages(ctx, chat.ChatRef{ContactID: bc}); return len(ms) == 1 })
	ms, _ := b.Messages(ctx, chat.ChatRef{ContactID: bc})
	if ms[0].Text != "hi bob" || ms[0].Sender != bc {
		t.Fatalf("got %+v", ms[0])
	}
	waitFor(t, "delivered", func() bool {
		ms, _ := a.Messages(ctx, chat.ChatRef{ContactID: ac})
		return ms[0].Status == "delivered"
	})
	if _, err := b.Connect(ctx, "fake:inv/nothing"); chat.ErrorCode(err) != chat.CodeBadLink {
		t.Fatalf("bad link: %v", err)
	}
	if err := a.DeleteContact(ctx, ac); err != nil {
		t.Fatal(err)
	}
	if _, ok := contactOf(a, ac); ok {
		t.Fatal("contact still listed")
	}
	if err := a.DeleteContact(ctx, ac); chat.ErrorCode(err) != chat.CodeNotFound {
		t.Fatalf("delete twice: %v", err)
	}
}
