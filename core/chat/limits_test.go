package chat_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// A group of 50: the host's x.grp.mem.intro batch for the last members is
// above the agent's limit (and above proto.MaxMessage). The host splits it
// into bodies the agent accepts and the whole mesh completes.
func TestGroupOfFiftyFitsTheAgentLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("50 clients")
	}
	var mu sync.Mutex
	largest := 0
	mk := func(tb testing.TB, _ bool, names ...string) []*chattest.User {
		net := fakeagent.NewNetwork()
		net.Tap = func(_, _ string, body []byte) {
			mu.Lock()
			largest = max(largest, len(body))
			mu.Unlock()
		}
		us := onNetwork(tb.(*testing.T), net, names...)
		for _, u := range us { // about 300 bytes per x.grp.mem.intro
			if err := u.SetProfile(ctx, chat.Profile{DisplayName: u.Name, FullName: u.Name + strings.Repeat(" full name", 12)}); err != nil {
				tb.Fatal(err)
			}
		}
		return us
	}
	chattest.LargeGroup(t, mk, 50)
	if largest > agent.MaxMessage || largest < agent.MaxMessage*3/4 {
		t.Fatalf("largest body carried %d bytes, want near and at most %d", largest, agent.MaxMessage)
	}
}

// A message too large to send is refused at the sender with TOO_LARGE; a
// group message must also leave room for the host's x.grp.msg.forward.
func TestGroupMessageTooLargeRefused(t *testing.T) {
	us := onNetwork(t, fakeagent.NewNetwork(), "owner", "ann")
	gids := joinAll(t, us)
	for _, n := range []int{agent.MaxMessage + 1, agent.MaxMessage - 100} {
		_, err := us[1].SendGroupMessage(ctx, gids[1], strings.Repeat("x", n))
		if chat.ErrorCode(err) != chat.CodeTooLarge {
			t.Fatalf("%d bytes: %v, want %s", n, err, chat.CodeTooLarge)
		}
	}
	if _, err := us[1].SendGroupMessage(ctx, gids[1], "small"); err != nil {
		t.Fatal(err)
	}
}

// A forward that cannot fit the agent's limit (a member's message sent
// raw, just under the limit) is recorded as TOO_LARGE at the host and
// skipped; the host keeps processing: the next message still reaches ann.
func TestHostSkipsForwardTooLarge(t *testing.T) {
	us := onNetwork(t, fakeagent.NewNetwork(), "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	gids := joinAll(t, us[:2])
	ann.Pause() // ann stays offline: the host forwards bob's messages to her
	link := mustLink(t, owner, gids[0])
	bg, err := bob.JoinGroup(ctx, link, chat.JoinOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ownerID string
	waitUntil(t, func() bool {
		for _, m := range mustMembers(t, bob, bg) {
			if m.DisplayName == "owner" && m.Status == "connected" {
				ownerID = m.MemberID
			}
		}
		return ownerID != "" && len(mustMembers(t, bob, bg)) == 2
	})
	big := strings.Repeat("y", agent.MaxMessage-200)
	body, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: proto.Bytes("big-1"), Params: &proto.MsgNew{Content: *proto.Text(big)}})
	if err != nil || len(body) > agent.MaxMessage {
		t.Fatalf("%d bytes: %v", len(body), err)
	}
	if _, err := chattest.RawSend(bob, bob.MemberConnection(ctx, bg, ownerID), body); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return skipped(owner, chat.CodeTooLarge) })
	if _, err := bob.SendGroupMessage(ctx, bg, "after"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return hasText(owner, gids[0], "after") })
	ann.Resume()
	waitUntil(t, func() bool { return hasText(ann, gids[1], "after") })
}

func joinAll(t *testing.T, us []*chattest.User) []string {
	t.Helper()
	gid, err := us[0].CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	link := mustLink(t, us[0], gid)
	gids := []string{gid}
	for _, u := range us[1:] {
		g, err := u.JoinGroup(ctx, link, chat.JoinOptions{})
		if err != nil {
			t.Fatal(err)
		}
		gids = append(gids, g)
	}
	for i, u := range us {
		waitUntil(t, func() bool {
			if g, _ := u.Groups(ctx); len(g) == 0 || g[len(g)-1].Status != "active" && i > 0 {
				return false
			}
			n := 0
			for _, m := range mustMembers(t, u, gids[i]) {
				if m.Status == "connected" {
					n++
				}
			}
			return n == len(us)-1
		})
	}
	return gids
}

func mustLink(t *testing.T, u *chattest.User, gid string) string {
	t.Helper()
	link, err := u.CreateGroupLink(ctx, gid)
	if err != nil {
		t.Fatal(err)
	}
	return link
}

func skipped(u *chattest.User, code string) bool {
	es, _ := u.Skipped(ctx)
	for _, e := range es {
		if e.Code == code {
			return true
		}
	}
	return false
}

func hasText(u *chattest.User, gid, text string) bool {
	ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gid})
	for _, m := range ms {
		if m.Text == text {
			return true
		}
	}
	return false
}

// The largest group message the sender accepts still fits once its host
// wraps it in x.grp.msg.forward: ann, not yet connected to bob, gets it.
func TestLargestGroupMessageForwarded(t *testing.T) {
	us := onNetwork(t, fakeagent.NewNetwork(), "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	gids := joinAll(t, us[:2])
	ann.Pause() // bob's messages reach ann through the host
	bg, err := bob.JoinGroup(ctx, mustLink(t, owner, gids[0]), chat.JoinOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool {
		return len(mustMembers(t, bob, bg)) == 2 && bob.MemberConnection(ctx, bg, memberNamed(t, bob, bg, "owner")) != ""
	})
	var text string
	for n := agent.MaxMessage; n > 0; n -= 8 {
		text = strings.Repeat("z", n)
		if _, err = bob.SendGroupMessage(ctx, bg, text); err == nil {
			break
		}
		if chat.ErrorCode(err) != chat.CodeTooLarge {
			t.Fatal(err)
		}
	}
	if len(text) < agent.MaxMessage-1300 {
		t.Fatalf("largest text accepted %d bytes", len(text))
	}
	waitUntil(t, func() bool { return hasText(owner, gids[0], text) })
	ann.Resume()
	waitUntil(t, func() bool { return hasText(ann, gids[1], text) })
	if skipped(owner, chat.CodeTooLarge) {
		t.Fatal("the host could not forward it")
	}
}

func memberNamed(t *testing.T, u *chattest.User, gid, name string) string {
	for _, m := range mustMembers(t, u, gid) {
		if m.DisplayName == name {
			return m.MemberID
		}
	}
	return ""
}
