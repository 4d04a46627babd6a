package chattest

import (
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// smallGroup: owner + members by link, mesh complete; returns group ids.
func smallGroup(t *testing.T, us []*User, s chat.GroupSettings) []string {
	t.Helper()
	if s.DisplayName == "" {
		s.DisplayName = "g"
	}
	gid := must[string](t)(us[0].CreateGroup(ctx, s))
	link := must[string](t)(us[0].CreateGroupLink(ctx, gid))
	gids := []string{gid}
	for _, u := range us[1:] {
		g := must[string](t)(u.JoinGroup(ctx, link, chat.JoinOptions{}))
		waitFor(t, "joined", func() bool { return groupOf(u, g).Status == "active" })
		gids = append(gids, g)
	}
	waitMesh(t, us, gids)
	return gids
}

func memberID(t *testing.T, u *User, gid, name string) string {
	t.Helper()
	for _, m := range must[[]chat.Member](t)(u.Members(ctx, gid)) {
		if m.DisplayName == name {
			return m.MemberID
		}
	}
	t.Fatalf("%s has no member %s", u.Name, name)
	return ""
}

// memberNamed is the id of u's member called name ("" when none yet).
func memberNamed(u *User, gid, name string) string {
	ms, _ := u.Members(ctx, gid)
	for _, m := range ms {
		if m.DisplayName == name {
			return m.MemberID
		}
	}
	return ""
}

func requestFrom(u *User, gid string) (chat.Contact, bool) {
	cs, _ := u.Contacts(ctx)
	for _, c := range cs {
		if c.GroupID == gid && c.Status == "request" {
			return c, true
		}
	}
	return chat.Contact{}, false
}

func DirectChatOnDemandQueuedInOrder(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{DirectMessages: "on"})
	sam, rob := us[1], us[2]
	before := must[chat.Stats](t)(sam.Stats(ctx))
	sc := must[string](t)(sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], "rob"), "first"))
	must[string](t)(sam.SendDirectMessage(ctx, sc, "second"))
	must[string](t)(sam.SendDirectMessage(ctx, sc, "third"))
	if c, _ := contactOf(sam, sc); c.Status != "pending" {
		t.Fatalf("sender contact %+v", c)
	}
	var req chat.Contact
	waitFor(t, "request at rob", func() (ok bool) { req, ok = requestFrom(rob, gids[2]); return })
	ms := must[[]chat.Message](t)(rob.Messages(ctx, chat.ChatRef{ContactID: req.ContactID}))
	if len(ms) != 1 || ms[0].Text != "first" || req.DisplayName != "sam" {
		t.Fatalf("request %+v with %+v", req, ms)
	}
	if s := must[chat.Stats](t)(sam.Stats(ctx)); s.PendingDeliveries < 2 {
		t.Fatalf("pending deliveries %d", s.PendingDeliveries)
	}
	if err := rob.AcceptDirectChat(ctx, req.ContactID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three messages in order", func() bool {
		ms, _ := rob.Messages(ctx, chat.ChatRef{ContactID: req.ContactID})
		return len(ms) == 3
	})
	ms = must[[]chat.Message](t)(rob.Messages(ctx, chat.ChatRef{ContactID: req.ContactID}))
	if fmt.Sprint(texts(ms)) != "[first second third]" {
		t.Fatalf("order: %q", texts(ms))
	}
	waitFor(t, "both connected", func() bool {
		return contactStatus(sam, sc) == "connected" && contactStatus(rob, req.ContactID) == "connected"
	})
	after := must[chat.Stats](t)(sam.Stats(ctx))
	if after.DirectConnections != before.DirectConnections+1 || after.GroupConnections != before.GroupConnections {
		t.Fatalf("stats before %+v after %+v", before, after)
	}
	// a reply over the new contact
	must[string](t)(rob.SendDirectMessage(ctx, req.ContactID, "reply"))
	waitFor(t, "reply", func() bool { ms, _ := sam.Messages(ctx, chat.ChatRef{ContactID: sc}); return len(ms) == 4 })
	// a second invitation while the contact exists is refused at the sender
	if _, err := sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], "rob"), ""); chat.ErrorCode(err) != chat.CodeContactExists {
		t.Fatalf("second invitation: %v", err)
	}
}

func DirectMessagesOff(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	sam, rob := us[1], us[2]
	_, err := sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], "rob"), "hi")
	if chat.ErrorCode(err) != chat.CodeDirectMessagesOff {
		t.Fatalf("sender: %v", err)
	}
	// a forged invitation (sent anyway over the group connection) is ignored and recorded
	conn := sam.MemberConnection(ctx, gids[1], memberID(t, sam, gids[1], "rob"))
	link, _ := RawInvitation(sam)
	must[uint64](t)(RawSend(sam, conn, encode(&proto.GrpDirectInv{ConnReq: link, Content: proto.Text("forged")})))
	waitFor(t, "recorded", func() bool { return hasSkipped(rob, chat.CodeDirectMessagesOff) })
	if _, ok := requestFrom(rob, gids[2]); ok {
		t.Fatal("forged invitation shown")
	}
	// on for admins only: a member still cannot; the owner can
	if err := us[0].SetGroupPreferences(ctx, gids[0], chat.Preferences{DirectMessages: "on", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "preferences reach members", func() bool { return groupOf(sam, gids[1]).DirectMessages == "on" })
	if _, err := sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], "rob"), ""); chat.ErrorCode(err) != chat.CodeDirectMessagesOff {
		t.Fatalf("member with admin-only preference: %v", err)
	}
	must[string](t)(us[0].StartDirectChat(ctx, gids[0], memberID(t, us[0], gids[0], "rob"), "from the owner"))
	waitFor(t, "owner's invitation", func() bool { _, ok := requestFrom(rob, gids[2]); return ok })
	// only owners change preferences
	if err := sam.SetGroupPreferences(ctx, gids[1], chat.Preferences{DirectMessages: "on"}); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("member sets preferences: %v", err)
	}
}

func hasSkipped(u *User, code string) bool {
	s, _ := u.Skipped(ctx)
	for _, e := range s {
		if e.Code == code {
			return true
		}
	}
	return false
}
