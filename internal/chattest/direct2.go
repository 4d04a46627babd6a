package chattest

import (
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

func IncognitoMemberContactShowsIncognitoProfile(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "ivy")
	gid := must[string](t)(us[0].CreateGroup(ctx, chat.GroupSettings{DisplayName: "g", DirectMessages: "on"}))
	link := must[string](t)(us[0].CreateGroupLink(ctx, gid))
	gids := []string{gid}
	for i, u := range us[1:] {
		g := must[string](t)(u.JoinGroup(ctx, link, chat.JoinOptions{Incognito: i == 1}))
		waitFor(t, "joined", func() bool { return groupOf(u, g).Status == "active" })
		gids = append(gids, g)
	}
	waitMesh(t, us, gids)
	sam, ivy := us[1], us[2]
	var ivyName string
	for _, m := range must[[]chat.Member](t)(sam.Members(ctx, gids[1])) {
		if m.DisplayName != "owner" {
			ivyName = m.DisplayName
		}
	}
	if ivyName == "ivy" || ivyName == "" {
		t.Fatalf("sam sees ivy as %q", ivyName)
	}
	// ivy can see the name the others see; sam (not incognito) has none
	if g := groupOf(ivy, gids[2]); !g.Incognito || g.IncognitoName != ivyName {
		t.Fatalf("ivy's group shows incognito=%v name %q, the others see %q", g.Incognito, g.IncognitoName, ivyName)
	}
	if g := groupOf(sam, gids[1]); g.Incognito || g.IncognitoName != "" {
		t.Fatalf("sam's group shows incognito=%v name %q", g.Incognito, g.IncognitoName)
	}
	// sam invites the incognito member; then ivy invites sam back after deletion
	sc := must[string](t)(sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], ivyName), "hi"))
	var req chat.Contact
	waitFor(t, "request", func() (ok bool) { req, ok = requestFrom(ivy, gids[2]); return })
	if !req.Incognito || req.IncognitoName != ivyName {
		t.Fatalf("ivy's contact not marked incognito as %q: %+v", ivyName, req)
	}
	must[struct{}](t)(struct{}{}, ivy.AcceptDirectChat(ctx, req.ContactID))
	waitFor(t, "connected", func() bool { return contactStatus(sam, sc) == "connected" })
	c, _ := contactOf(sam, sc)
	if c.DisplayName != ivyName {
		t.Fatalf("sam's contact shows %q, want the incognito %q", c.DisplayName, ivyName)
	}
	if c.Incognito || c.IncognitoName != "" {
		t.Fatalf("sam's contact marked incognito: %+v", c)
	}
	// ivy starts a chat with the owner: the owner sees the incognito name too
	oc := must[string](t)(ivy.StartDirectChat(ctx, gids[2], memberID(t, ivy, gids[2], "owner"), ""))
	var oreq chat.Contact
	waitFor(t, "owner's request", func() (ok bool) { oreq, ok = requestFrom(us[0], gids[0]); return })
	if oreq.DisplayName != ivyName {
		t.Fatalf("owner sees %q", oreq.DisplayName)
	}
	if ic, _ := contactOf(ivy, oc); ic.IncognitoName != ivyName {
		t.Fatalf("ivy's contact with the owner shows incognito name %q, owner sees %q", ic.IncognitoName, ivyName)
	}
}

func DeleteAndRecreateMemberContact(t *testing.T, mk Factory) {
	us := mk(t, true, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{DirectMessages: "on"})
	sam, rob := us[1], us[2]
	robID := memberID(t, sam, gids[1], "rob")
	sc := must[string](t)(sam.StartDirectChat(ctx, gids[1], robID, "one"))
	waitFor(t, "auto-accepted", func() bool { return contactStatus(sam, sc) == "connected" })
	var rc string
	waitFor(t, "rob's contact", func() bool {
		cs, _ := rob.Contacts(ctx)
		for _, c := range cs {
			if c.GroupID == gids[2] && c.Status == "connected" {
				rc = c.ContactID
				return true
			}
		}
		return false
	})
	if err := sam.DeleteContact(ctx, sc); err != nil {
		t.Fatal(err)
	}
	sc2 := must[string](t)(sam.StartDirectChat(ctx, gids[1], robID, "two"))
	if sc2 == sc {
		t.Fatal("same contact id")
	}
	waitFor(t, "re-created", func() bool { return contactStatus(sam, sc2) == "connected" })
	must[string](t)(sam.SendDirectMessage(ctx, sc2, "three"))
	waitFor(t, "rob has two and three", func() bool {
		ms, _ := rob.Messages(ctx, chat.ChatRef{ContactID: rc})
		return len(ms) == 3
	})
	// rob's stale contact was replaced, not duplicated
	n := 0
	for _, c := range must[[]chat.Contact](t)(rob.Contacts(ctx)) {
		if c.GroupID == gids[2] {
			n++
		}
	}
	s := must[chat.Stats](t)(rob.Stats(ctx))
	if n != 1 || s.DirectConnections != 1 {
		t.Fatalf("rob has %d member contacts, %d direct connections", n, s.DirectConnections)
	}
}

func SimultaneousInvitationsEndWithOneContact(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{DirectMessages: "on"})
	sam, rob := us[1], us[2]
	// both offline while they invite each other (or, on an agent that cannot
	// pause, both at once)
	var sc, rc string
	samFirst := true // sam's invitation (and its "from sam") went out
	if sam.Pause != nil {
		sam.Pause()
		rob.Pause()
		sc = must[string](t)(sam.StartDirectChat(ctx, gids[1], memberID(t, sam, gids[1], "rob"), "from sam"))
		rc = must[string](t)(rob.StartDirectChat(ctx, gids[2], memberID(t, rob, gids[2], "sam"), "from rob"))
		sam.Resume()
		rob.Resume()
	} else {
		robID, samID := memberID(t, sam, gids[1], "rob"), memberID(t, rob, gids[2], "sam")
		var err1, err2 error
		done := make(chan struct{})
		go func() { sc, err1 = sam.StartDirectChat(ctx, gids[1], robID, "from sam"); close(done) }()
		rc, err2 = rob.StartDirectChat(ctx, gids[2], samID, "from rob")
		<-done
		// one may already have received the other's invitation: then it has that contact
		if err1 != nil || err2 != nil {
			t.Logf("not simultaneous: %v / %v", err1, err2)
			waitFor(t, "the request", func() bool {
				cs, _ := sam.Contacts(ctx)
				cr, _ := rob.Contacts(ctx)
				return len(cs) == 1 && len(cr) == 1
			})
			if err1 != nil {
				samFirst = false
				cs, _ := sam.Contacts(ctx)
				sc = cs[0].ContactID
				must[struct{}](t)(struct{}{}, sam.AcceptDirectChat(ctx, sc))
			}
			if err2 != nil {
				cr, _ := rob.Contacts(ctx)
				rc = cr[0].ContactID
				must[struct{}](t)(struct{}{}, rob.AcceptDirectChat(ctx, rc))
			}
		}
	}
	waitFor(t, "one contact each, connected", func() bool {
		return contactStatus(sam, sc) == "connected" && contactStatus(rob, rc) == "connected"
	})
	for _, u := range []*User{sam, rob} {
		cs := must[[]chat.Contact](t)(u.Contacts(ctx))
		s := must[chat.Stats](t)(u.Stats(ctx))
		if len(cs) != 1 || s.DirectConnections != 1 {
			t.Fatalf("%s: contacts %+v stats %+v", u.Name, cs, s)
		}
	}
	must[string](t)(sam.SendDirectMessage(ctx, sc, "after"))
	waitFor(t, "rob has sam's first message and the one after", func() bool {
		ms, _ := rob.Messages(ctx, chat.ChatRef{ContactID: rc})
		got := map[string]bool{}
		for _, m := range ms {
			got[m.Text] = true
		}
		return (got["from sam"] || !samFirst) && got["after"]
	})
}
