package agentconn_test

import (
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// A member closes its client and agent and reopens them on the same store
// (a reload): the group, its members and history are there, and messages
// sent meanwhile arrive.
func TestReopenOnSameStore(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay skipped in -short")
	}
	url := relaytest.Start(t, relay.Config{}).URL
	us := onRelay(url, false)(t, false, "owner")
	owner := us[0]
	gid := must(t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must(t)(owner.CreateGroupLink(ctx, gid))

	st := memstore.New()
	open := func() (*chat.Client, *agent.Agent) { return openClient(t, st, url, clientOpts{}) }
	c, ag := open()
	if err := c.SetProfile(ctx, chat.Profile{DisplayName: "joe"}); err != nil {
		t.Fatal(err)
	}
	jg := must(t)(c.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "joined", func() bool {
		ms, _ := c.Members(ctx, jg)
		return len(ms) == 1 && ms[0].Connection == "direct"
	})
	must(t)(c.SendGroupMessage(ctx, jg, "before"))
	c.Close()
	ag.Close()

	must(t)(owner.SendGroupMessage(ctx, gid, "while away"))
	c, ag = open()
	defer func() { c.Close(); ag.Close() }()
	waitFor(t, "history and the new message", func() bool {
		ms, _ := c.Messages(ctx, chat.ChatRef{GroupID: jg})
		return len(ms) == 2 && ms[0].Text == "before" && ms[1].Text == "while away"
	})
	if p, _ := c.GetProfile(ctx); p.DisplayName != "joe" {
		t.Fatalf("profile %+v", p)
	}
}
