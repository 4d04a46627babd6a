package chattest

import (
	"fmt"
	"sort"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// buildGroup: us[0] creates a group, invites us[1:1+byInv] as contacts and
// lets the rest join by the link. Each joiner sends one message as soon as
// it is in (before its introductions complete). Returns group ids per User.
func buildGroup(t testing.TB, us []*User, byInv int, dm string, incognitoLast bool) []string {
	t.Helper()
	owner := us[0]
	gid := must[string](t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "team", FullName: "Team", DirectMessages: dm}))
	gids := []string{gid}
	link := ""
	for i, u := range us[1:] {
		opts := chat.JoinOptions{Incognito: incognitoLast && i == len(us)-2}
		var g string
		if i < byInv {
			g = inviteJoin(t, owner, u, gid, opts)
		} else {
			if link == "" {
				link = must[string](t)(owner.CreateGroupLink(ctx, gid))
			}
			g = must[string](t)(u.JoinGroup(ctx, link, opts))
			waitFor(t, "joined by link", func() bool { return groupOf(u, g).Status == "active" })
		}
		gids = append(gids, g)
		must[string](t)(u.SendGroupMessage(ctx, g, fmt.Sprintf("hello from %s", u.Name)))
	}
	waitMesh(t, us, gids)
	return gids
}

func waitMesh(t testing.TB, us []*User, gids []string) {
	t.Helper()
	for i, u := range us {
		waitFor(t, u.Name+" connected to every member", func() bool { return connectedCount(u, gids[i]) == len(us)-1 })
	}
}

// groupTexts: the texts u has in the group, sorted.
func groupTexts(u *User, gid string) []string {
	ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gid})
	out := texts(ms)
	sort.Strings(out)
	return out
}

func GroupOfSixWithoutDirectConnections(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "inv1", "inv2", "link1", "link2", "link3")
	gids := buildGroup(t, us, 2, "off", true)
	for i, u := range us {
		s := must[chat.Stats](t)(u.Stats(ctx))
		if s.GroupConnections != 5 {
			t.Errorf("%s: %d group connections, want 5", u.Name, s.GroupConnections)
		}
		cs, _ := u.Contacts(ctx)
		for _, c := range cs {
			if c.GroupID != "" {
				t.Errorf("%s has a member contact %+v", u.Name, c)
			}
		}
		if i >= 3 && s.DirectConnections != 0 {
			t.Errorf("%s joined by link but has %d direct connections", u.Name, s.DirectConnections)
		}
		if g := groupOf(u, gids[i]); g.MemberCount != 6 || g.DirectMessages != "off" {
			t.Errorf("%s: group %+v", u.Name, g)
		}
	}
	// after the mesh: everyone sends once more
	for i, u := range us {
		must[string](t)(u.SendGroupMessage(ctx, gids[i], "after from "+u.Name))
	}
	for i, u := range us {
		var want []string
		for j, o := range us {
			want = append(want, "after from "+o.Name)
			if j > 0 && j >= i { // a joiner's first message reaches those who were in the group
				want = append(want, "hello from "+o.Name)
			}
		}
		sort.Strings(want)
		waitFor(t, u.Name+" has every message", func() bool {
			ok := len(groupTexts(u, gids[i])) >= len(want)
			if !ok && testing.Verbose() {
				t.Logf("%s: %q", u.Name, groupTexts(u, gids[i]))
			}
			return ok
		})
		got := groupTexts(u, gids[i])
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %q\nwant %q", u.Name, got, want)
		}
	}
	// delivery status: the last message of the owner reached all 5
	waitFor(t, "delivered to 5 of 5", func() bool {
		ms, _ := us[0].Messages(ctx, chat.ChatRef{GroupID: gids[0]})
		for _, m := range ms {
			if m.Text == "after from owner" {
				return m.Sender == "me" && m.Delivered == 5 && m.Total == 5 && m.Status == "delivered"
			}
		}
		return false
	})
	// the incognito member is seen by its incognito name only
	last := us[5]
	lg := groupOf(last, gids[5])
	if !lg.Incognito {
		t.Fatal("last member not incognito")
	}
	for i, u := range us[:5] {
		for _, m := range must[[]chat.Member](t)(u.Members(ctx, gids[i])) {
			if m.DisplayName == "link3" {
				t.Errorf("%s sees the real profile of the incognito member", u.Name)
			}
		}
	}
}
