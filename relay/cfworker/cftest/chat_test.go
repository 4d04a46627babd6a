package cftest_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// Three chat clients (core/chat on the real core/agent over native
// WebSockets) make a group through the relay and each sends a message
// that the other two receive.
func TestWorkerGroupOfThree(t *testing.T) {
	groupOfThree(t, needWorker(t).URL)
}

// The same scenario against the native relay, for comparison.
func TestNativeGroupOfThree(t *testing.T) {
	groupOfThree(t, relaytest.Start(t, relay.Config{}).URL)
}

type chatUser struct {
	*chat.Client
	name string
}

func groupOfThree(t *testing.T, relayURL string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	owner, bob, carol := newChatUser(t, "owner", relayURL), newChatUser(t, "bob", relayURL), newChatUser(t, "carol", relayURL)
	gid, err := owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "club"})
	must(t, err)
	link, err := owner.CreateGroupLink(ctx, gid)
	must(t, err)
	users, gids := []*chatUser{owner, bob, carol}, []string{gid}
	for _, u := range users[1:] {
		g, err := u.JoinGroup(ctx, link, chat.JoinOptions{})
		must(t, err)
		waitFor(t, ctx, u.name+" joined", func() bool { return groupStatus(ctx, u, g) == "active" })
		gids = append(gids, g)
	}
	for i, u := range users {
		waitFor(t, ctx, u.name+" connected to both others", func() bool { return connected(ctx, u, gids[i]) == 2 })
	}
	var want []string
	for i, u := range users {
		text := fmt.Sprintf("hello from %s", u.name)
		_, err := u.SendGroupMessage(ctx, gids[i], text)
		must(t, err)
		want = append(want, text)
	}
	sort.Strings(want)
	for i, u := range users {
		waitFor(t, ctx, u.name+" has all three messages", func() bool {
			ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gids[i]})
			var got []string
			for _, m := range ms {
				got = append(got, m.Text)
			}
			sort.Strings(got)
			return slices.Equal(got, want)
		})
	}
}

func newChatUser(t *testing.T, name, relayURL string) *chatUser {
	ctx := context.Background()
	st := memstore.New()
	c, a, err := agentconn.Open(ctx, agent.Config{Store: st, Relays: []string{relayURL}, Dial: wsdial.Dial}, chat.Config{})
	must(t, err)
	t.Cleanup(func() { c.Close(); a.Close() })
	must(t, c.SetProfile(ctx, chat.Profile{DisplayName: name}))
	return &chatUser{Client: c, name: name}
}

func groupStatus(ctx context.Context, u *chatUser, gid string) string {
	gs, _ := u.Groups(ctx)
	for _, g := range gs {
		if g.GroupID == gid {
			return g.Status
		}
	}
	return ""
}

func connected(ctx context.Context, u *chatUser, gid string) int {
	ms, _ := u.Members(ctx, gid)
	n := 0
	for _, m := range ms {
		if m.Connection == "direct" {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds or ctx ends (a generous limit, not a
// timing assertion).
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting: %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
