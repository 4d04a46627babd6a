package chattest

import (
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
)

func ForgedIntroductionFromNonAdminIgnored(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	sam, rob := us[1], us[2]
	conn := sam.MemberConnection(ctx, gids[1], memberID(t, sam, gids[1], "rob"))
	ownerID, _ := proto.ParseBytes(memberID(t, rob, gids[2], "owner"))
	fake := proto.MemberInfo{MemberID: proto.Bytes("fake-member-1"), MemberRole: proto.RoleOwner, V: proto.Current,
		Profile: proto.Profile{DisplayName: "mallory"}}
	for _, p := range []proto.Params{&proto.GrpMemIntro{MemberInfo: fake}, &proto.GrpMemNew{MemberInfo: fake},
		&proto.GrpMemFwd{MemberInfo: fake, MemberIntro: proto.IntroInvitation{GroupConnReq: "fake:inv/x"}},
		&proto.GrpMemRole{MemberID: ownerID, Role: proto.RoleObserver}, &proto.GrpDel{},
		&proto.GrpInfo{GroupProfile: proto.GroupProfile{DisplayName: "hijacked"}}} {
		must[uint64](t)(RawSend(sam, conn, encode(p)))
	}
	must[uint64](t)(RawSend(sam, conn, []byte(`{"v":"2-5","event":"x.grp.future","params":{}}`)))
	must[uint64](t)(RawSend(sam, conn, []byte(`not json`)))
	waitFor(t, "all recorded", func() bool {
		s, _ := rob.Skipped(ctx)
		return len(s) == 8
	})
	for _, m := range must[[]chat.Member](t)(rob.Members(ctx, gids[2])) {
		if m.DisplayName == "mallory" {
			t.Fatal("forged member introduced")
		}
	}
	if g := groupOf(rob, gids[2]); g.Status != "active" || g.DisplayName != "g" {
		t.Fatalf("group changed by a member: %+v", g)
	}
	codes := map[string]int{}
	for _, e := range must[[]chat.ErrorEvent](t)(rob.Skipped(ctx)) {
		codes[e.Code]++
	}
	if codes[chat.CodeProhibited] != 6 || codes[chat.CodeUnknownEvent] != 1 || codes[chat.CodeBadMessage] != 1 {
		t.Fatalf("codes %v", codes)
	}
}

func RemovedMemberCannotPost(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, sam, rob := us[0], us[1], us[2]
	// a member cannot remove the owner
	if err := sam.RemoveMember(ctx, gids[1], memberID(t, sam, gids[1], "owner")); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("member removes owner: %v", err)
	}
	samID := memberID(t, owner, gids[0], "sam")
	robConnAtSam := sam.MemberConnection(ctx, gids[1], memberID(t, sam, gids[1], "rob"))
	if err := owner.RemoveMember(ctx, gids[0], samID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sam removed", func() bool { return groupOf(sam, gids[1]).Status == "removed" })
	waitFor(t, "rob sees sam removed", func() bool {
		for _, m := range must[[]chat.Member](t)(rob.Members(ctx, gids[2])) {
			if m.DisplayName == "sam" {
				return m.Status == "removed"
			}
		}
		return false
	})
	if _, err := sam.SendGroupMessage(ctx, gids[1], "still here?"); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("removed member sends: %v", err)
	}
	// forging over the old connection: rob ignores it
	_, _ = RawSend(sam, robConnAtSam, encode(&proto.MsgNew{Content: *proto.Text("forged")}))
	must[string](t)(owner.SendGroupMessage(ctx, gids[0], "bye sam"))
	waitFor(t, "rob gets the owner's message", func() bool {
		ms, _ := rob.Messages(ctx, chat.ChatRef{GroupID: gids[2]})
		return len(ms) == 1
	})
	ms := must[[]chat.Message](t)(rob.Messages(ctx, chat.ChatRef{GroupID: gids[2]}))
	if ms[0].Text != "bye sam" {
		t.Fatalf("rob has %q", texts(ms))
	}
	if s := must[chat.Stats](t)(rob.Stats(ctx)); s.GroupConnections != 1 {
		t.Fatalf("rob still has %d group connections", s.GroupConnections)
	}
}

func RolesLeaveAndDelete(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob", "eve")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, sam, rob, eve := us[0], us[1], us[2], us[3]
	if err := eve.LeaveGroup(ctx, gids[3]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "eve left everywhere", func() bool {
		for i, u := range us[:3] {
			found := false
			for _, m := range must[[]chat.Member](t)(u.Members(ctx, gids[i])) {
				found = found || m.DisplayName == "eve" && m.Status == "left"
			}
			if !found {
				return false
			}
		}
		return true
	})
	if err := rob.DeleteGroup(ctx, gids[2]); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("member deletes group: %v", err)
	}
	if err := owner.DeleteGroup(ctx, gids[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deleted for all", func() bool {
		return groupOf(sam, gids[1]).Status == "deleted" && groupOf(rob, gids[2]).Status == "deleted"
	})
	for _, u := range us {
		if s := must[chat.Stats](t)(u.Stats(ctx)); s.GroupConnections != 0 {
			t.Errorf("%s keeps %d group connections", u.Name, s.GroupConnections)
		}
	}
}

func DirectConnectionsOptIn(t *testing.T, mk Factory) {
	us := mk(t, false, names(5)...)
	gid := must[string](t)(us[0].CreateGroup(ctx, chat.GroupSettings{DisplayName: "g", DirectMessages: "on", DirectConnections: true, DirectConnectionsMax: 3}))
	link := must[string](t)(us[0].CreateGroupLink(ctx, gid))
	gids := []string{gid}
	for _, u := range us[1:] {
		g := must[string](t)(u.JoinGroup(ctx, link, chat.JoinOptions{}))
		gids = append(gids, g)
		waitMesh(t, us[:len(gids)], gids)
	}
	// members 1 and 2 joined while the group had <= 3 members: direct connections made at join
	for i, u := range us {
		waitFor(t, "contacts settle", func() bool {
			cs, _ := u.Contacts(ctx)
			for _, c := range cs {
				if c.Status != "connected" {
					return false
				}
			}
			return true
		})
		s := must[chat.Stats](t)(u.Stats(ctx))
		t.Logf("%s: %+v", u.Name, s)
		if s.GroupConnections != 4 {
			t.Errorf("%s: %d group connections", u.Name, s.GroupConnections)
		}
		_ = i
	}
	// u2 joined as the 3rd member: it offered a direct connection to u1 (the
	// owner, its host, is connected through the link already)
	for _, u := range us[1:3] {
		if s := must[chat.Stats](t)(u.Stats(ctx)); s.DirectConnections != 1 {
			t.Errorf("%s direct connections %d, want 1", u.Name, s.DirectConnections)
		}
	}
	// u3 and u4 joined above the threshold: none
	for _, u := range append([]*User{us[0]}, us[3:]...) {
		if s := must[chat.Stats](t)(u.Stats(ctx)); s.DirectConnections != 0 {
			t.Errorf("%s direct connections %d, want 0", u.Name, s.DirectConnections)
		}
	}
}

// RoleChange: the owner makes a member an admin; everyone sees it, and the
// new admin can then remove a member and make a group link.
func RoleChange(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "sam", "rob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, sam, rob := us[0], us[1], us[2]
	if _, err := sam.CreateGroupLink(ctx, gids[1]); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("member makes a link: %v", err)
	}
	if err := sam.SetMemberRole(ctx, gids[1], memberID(t, sam, gids[1], "rob"), "admin"); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("member changes a role: %v", err)
	}
	if err := owner.SetMemberRole(ctx, gids[0], memberID(t, owner, gids[0], "sam"), "admin"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sam is admin everywhere", func() bool {
		return groupOf(sam, gids[1]).Role == "admin" && roleOf(rob, gids[2], "sam") == "admin"
	})
	must[string](t)(sam.CreateGroupLink(ctx, gids[1]))
	if err := sam.SetMemberRole(ctx, gids[1], memberID(t, sam, gids[1], "owner"), "member"); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("admin demotes the owner: %v", err)
	}
	if err := sam.RemoveMember(ctx, gids[1], memberID(t, sam, gids[1], "rob")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "rob removed", func() bool {
		return groupOf(rob, gids[2]).Status == "removed" && roleOf(owner, gids[0], "rob") == ""
	})
}

// roleOf: the role of the active member called name ("" if none).
func roleOf(u *User, gid, name string) string {
	ms, _ := u.Members(ctx, gid)
	for _, m := range ms {
		if m.DisplayName == name && m.Status != "removed" && m.Status != "left" {
			return m.Role
		}
	}
	return ""
}
