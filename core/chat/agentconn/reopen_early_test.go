package agentconn_test

import (
	"bytes"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// A reopened agent may hand the chat client a message before the host has
// called the client's Start (the agent is started first and the relay
// answers at once). The message must still land after the history, and
// the history must stay whole. Here the client is started only once the
// message sent while away has been handled, which made the race certain.
func TestReopenEventBeforeChatStart(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay skipped in -short")
	}
	url := relaytest.Start(t, relay.Config{}).URL
	owner := onRelay(url, false)(t, false, "owner")[0]
	gid := must(t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must(t)(owner.CreateGroupLink(ctx, gid))

	st := memstore.New()
	open := func(startChat bool) (*chat.Client, *agent.Agent, chan struct{}) {
		handled := make(chan struct{})
		c, ag := openClient(t, st, url, clientOpts{
			noChatStart: !startChat,
			wrap: func(h agent.Handler) agent.Handler {
				return func(tx *agent.Tx, ev agent.Event) error {
					if err := h(tx, ev); err != nil {
						return err
					}
					if m, ok := ev.(agent.Message); ok && bytes.Contains(m.Body, []byte("while away")) {
						tx.OnCommit(func() {
							select {
							case <-handled:
							default:
								close(handled)
							}
						})
					}
					return nil
				}
			},
		})
		return c, ag, handled
	}
	c, ag, _ := open(true)
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
	c, ag, handled := open(false)
	defer func() { c.Close(); ag.Close() }()
	<-handled // the agent handed "while away" over before the client's Start
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	must(t)(c.SendGroupMessage(ctx, jg, "after"))
	ms, err := c.Messages(ctx, chat.ChatRef{GroupID: jg})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Text)
	}
	if len(got) != 3 || got[0] != "before" || got[1] != "while away" || got[2] != "after" {
		t.Fatalf("history %q, want [before while away after]", got)
	}
}
