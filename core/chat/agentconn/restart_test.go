package agentconn_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/relaytest"
)

// The relay is killed (SIGKILL) and restarted twice during a join by link:
// right after the joiner follows the link, and again once it is in, while
// its introductions run. The join completes and messages flow.
func TestRelayRestartDuringJoin(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay process skipped in -short")
	}
	proc := relaytest.StartProcess(t)
	us := onRelay(proc.URL, false)(t, false, "owner", "ann", "joe")
	owner, ann, joe := us[0], us[1], us[2]
	gid := must(t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must(t)(owner.CreateGroupLink(ctx, gid))
	ag := must(t)(ann.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "ann in", func() bool { return status(ann, ag) == "active" })

	jg := must(t)(joe.JoinGroup(ctx, link, chat.JoinOptions{}))
	proc.Kill()
	time.Sleep(200 * time.Millisecond)
	proc.Restart()
	waitFor(t, "joe in", func() bool { return status(joe, jg) == "active" })
	proc.Kill()
	time.Sleep(200 * time.Millisecond)
	proc.Restart()
	waitFor(t, "mesh", func() bool {
		return direct(owner, gid) == 2 && direct(ann, ag) == 2 && direct(joe, jg) == 2
	})
	must(t)(joe.SendGroupMessage(ctx, jg, "after the restarts"))
	for _, p := range []struct {
		u *chattest.User
		g string
	}{{owner, gid}, {ann, ag}} {
		waitFor(t, p.u.Name+" has joe's message", func() bool {
			ms, _ := p.u.Messages(ctx, chat.ChatRef{GroupID: p.g})
			return len(ms) == 1 && ms[0].Text == "after the restarts"
		})
	}
}

func must(t *testing.T) func(string, error) string {
	return func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

func status(u *chattest.User, gid string) string {
	gs, _ := u.Groups(ctx)
	for _, g := range gs {
		if g.GroupID == gid {
			return g.Status
		}
	}
	return ""
}

func direct(u *chattest.User, gid string) int {
	ms, _ := u.Members(ctx, gid)
	n := 0
	for _, m := range ms {
		if m.Connection == "direct" {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(chattest.WaitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
