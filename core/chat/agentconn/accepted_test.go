package agentconn_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// The joiner's side of the handshake ends first: it sees the host as
// connected while the host still shows it "connecting" (the host's
// Connected is held back here). A group message the host sends then
// reaches the new member once the host's side is up, before later ones.
// This was TestReopenOnSameStore's rare failure: the owner's message sent
// in that window was skipped for the member for good.
func TestMessageToMemberStillConnecting(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay skipped in -short")
	}
	url := relaytest.Start(t, relay.Config{}).URL
	var open atomic.Bool
	owner := gatedUser(t, url, &open)
	joe := newUser(t, url, "joe", false)
	gid := must(t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must(t)(owner.CreateGroupLink(ctx, gid))
	jg := must(t)(joe.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "joe connected with the owner", func() bool {
		ms, _ := joe.Members(ctx, jg)
		return len(ms) == 1 && ms[0].Connection == "direct"
	})
	if ms, _ := owner.Members(ctx, gid); len(ms) != 1 || ms[0].Status != "connecting" {
		t.Fatalf("owner's members %+v, want joe connecting", ms)
	}
	must(t)(owner.SendGroupMessage(ctx, gid, "early"))
	open.Store(true)
	waitFor(t, "owner connected with joe", func() bool {
		ms, _ := owner.Members(ctx, gid)
		return len(ms) == 1 && ms[0].Connection == "direct"
	})
	must(t)(owner.SendGroupMessage(ctx, gid, "later"))
	var got []string
	waitFor(t, "the later message", func() bool {
		ms, _ := joe.Messages(ctx, chat.ChatRef{GroupID: jg})
		got = got[:0]
		for _, m := range ms {
			got = append(got, m.Text)
		}
		return len(got) > 0 && got[len(got)-1] == "later"
	})
	if len(got) != 2 || got[0] != "early" {
		t.Fatalf("joe's messages %q, want [early later]", got)
	}
}

// gatedUser is an owner whose handler refuses Connected (the agent
// retries it) until open is set.
func gatedUser(t *testing.T, url string, open *atomic.Bool) *chat.Client {
	c, ag := openClient(t, memstore.New(), url, clientOpts{
		retryMax: 50 * time.Millisecond,
		wrap: func(h agent.Handler) agent.Handler {
			return func(tx *agent.Tx, ev agent.Event) error {
				if _, ok := ev.(agent.Connected); ok && !open.Load() {
					return errors.New("held back by the test")
				}
				return h(tx, ev)
			}
		},
	})
	if err := c.SetProfile(ctx, chat.Profile{DisplayName: "owner"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); ag.Close() })
	return c
}
