package chat_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// A new member offers directConnReq although the host's rule (direct
// connections off) does not allow it: the host strips it before
// forwarding, so the existing member never sees it.
func TestHostStripsDirectInvitation(t *testing.T) {
	net := fakeagent.NewNetwork()
	var mu sync.Mutex
	var toAnn [][]byte
	net.Tap = func(from, to string, body []byte) {
		if from == "owner" && to == "ann" && bytes.Contains(body, []byte(proto.EvGrpMemFwd)) {
			mu.Lock()
			toAnn = append(toAnn, body)
			mu.Unlock()
		}
	}
	us := onNetwork(t, net, "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	gid, err := owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	link, _ := owner.CreateGroupLink(ctx, gid)
	ag, _ := ann.JoinGroup(ctx, link, chat.JoinOptions{})
	waitUntil(t, func() bool { g, _ := ann.Groups(ctx); return len(g) == 1 && g[0].Status == "active" })
	ann.Pause() // ann stays offline: the introduction of bob to ann stays open
	bg, _ := bob.JoinGroup(ctx, link, chat.JoinOptions{})
	var annID, ownerID string
	waitUntil(t, func() bool {
		for _, m := range mustMembers(t, bob, bg) {
			if m.DisplayName == "ann" {
				annID = m.MemberID
			} else {
				ownerID = m.MemberID
			}
		}
		return annID != "" && bob.MemberConnection(ctx, bg, annID) != ""
	})
	// bob forges a second invitation for ann carrying a direct one
	id, _ := proto.ParseBytes(annID)
	body, _ := proto.Encode(&proto.Message{V: proto.Current, Params: &proto.GrpMemInv{MemberID: id,
		MemberIntro: proto.IntroInvitation{GroupConnReq: "fake:inv/none", DirectConnReq: "fake:inv/direct"}}})
	if _, err := chattest.RawSend(bob, bob.MemberConnection(ctx, bg, ownerID), body); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(toAnn) == 2 })
	ann.Resume()
	mu.Lock()
	defer mu.Unlock()
	for _, b := range toAnn {
		if bytes.Contains(b, []byte("directConnReq")) {
			t.Fatalf("forwarded with a direct invitation: %s", b)
		}
	}
	_ = ag
}

func onNetwork(t *testing.T, net *fakeagent.Network, names ...string) []*chattest.User {
	var out []*chattest.User
	for _, n := range names {
		st := memstore.New()
		ag := net.NewAgent(n, st)
		c, _ := chat.New(chat.Config{Store: st, Agent: ag})
		ag.SetHandler(c.HandleEvent)
		_ = c.Start(ctx)
		_ = c.SetProfile(ctx, chat.Profile{DisplayName: n})
		t.Cleanup(func() { ag.Close(); c.Close() })
		out = append(out, &chattest.User{Client: c, Name: n, Raw: ag, Pause: ag.Pause, Resume: ag.Resume})
	}
	return out
}

func mustMembers(t *testing.T, u *chattest.User, gid string) []chat.Member {
	ms, err := u.Members(ctx, gid)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 20000 && !cond(); i++ {
		time.Sleep(time.Millisecond)
	}
	if !cond() {
		t.Fatal("condition never held")
	}
}
