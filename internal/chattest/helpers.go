package chattest

import (
	"context"

	"fmt"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/internal/fakefiles"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
)

var ctx = context.Background()

// User is one chat user of a scenario.
type User struct {
	*chat.Client
	Name string
	// Raw is the user's agent (tests forge messages with it).
	Raw chat.Agent
	// Pause and Resume stop and restart event delivery while the client
	// stays usable (nil when the agent cannot).
	Pause, Resume func()
	// Stop and Start close the user's app and open it again on the same
	// store: meanwhile nothing is received (or sent).
	Stop, Start func()
	// Backup copies the user's data as it is now (nil when the agent
	// cannot); calling what it returns opens another app on that copy, as
	// an older backup imported in another browser is (stop the user first
	// to replace it, or leave it running to have two).
	Backup func() func() *User
	// Files is where the user's file bytes are; FileRelay the file relay
	// its files go to (shared by the users of a scenario).
	Files     *fakefiles.Store
	FileRelay *fakefiles.Relay
}

// RawSend sends body on the user's agent connection directly (forging
// what a buggy or hostile client would send).
func RawSend(u *User, connID string, body []byte) (uint64, error) {
	var n uint64
	err := u.Raw.Update(ctx, func(t chat.Tx) error {
		var err error
		n, err = t.Send(connID, body, agent.SendOptions{})
		return err
	})
	return n, err
}

// RawInvitation makes an invitation link on the user's agent directly.
func RawInvitation(u *User) (string, error) {
	var link string
	err := u.Raw.Update(ctx, func(t chat.Tx) error {
		var err error
		_, link, err = t.CreateInvitation()
		return err
	})
	return link, err
}

// Factory makes one started client per name (auto: auto-accept member
// contacts), each with its profile set to that name; cleanup via t.Cleanup.
type Factory func(t testing.TB, auto bool, names ...string) []*User

// Track registers users for the state dump of a failing wait.
func Track(t testing.TB, us []*User) {
	allUsers = append(allUsers, us...)
	t.Cleanup(func() { allUsers = nil })
}

// forgedSeq numbers forged messages (each its own msgId).
var forgedSeq int

func encode(p proto.Params) []byte {
	forgedSeq++
	b, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: proto.Bytes(fmt.Sprintf("forged-msg-%d", forgedSeq)), Params: p})
	if err != nil {
		panic(err)
	}
	return b
}

// WaitLimit bounds every wait (a generous limit, not a timing assertion).
var WaitLimit = 60 * time.Second

// waitFor polls cond until it holds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			dump(t)
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// connect makes a contact between a and b; it returns their contact ids.
func connect(t testing.TB, a, b *User) (string, string) {
	t.Helper()
	inv := must[chat.Invitation](t)(a.CreateInvitation(ctx))
	bc := must[string](t)(b.Connect(ctx, inv.Link))
	waitFor(t, "contact connected", func() bool {
		return contactStatus(a, inv.ContactID) == "connected" && contactStatus(b, bc) == "connected"
	})
	return inv.ContactID, bc
}

func contactStatus(u *User, id string) string {
	cs, _ := u.Contacts(ctx)
	for _, c := range cs {
		if c.ContactID == id {
			return c.Status
		}
	}
	return ""
}

func contactOf(u *User, id string) (chat.Contact, bool) {
	cs, _ := u.Contacts(ctx)
	for _, c := range cs {
		if c.ContactID == id {
			return c, true
		}
	}
	return chat.Contact{}, false
}

func groupOf(u *User, id string) chat.Group {
	gs, _ := u.Groups(ctx)
	for _, g := range gs {
		if g.GroupID == id {
			return g
		}
	}
	return chat.Group{}
}

// inviteJoin: owner invites u (a contact) into g; returns u's group id.
func inviteJoin(t testing.TB, owner, u *User, groupID string, opts chat.JoinOptions) string {
	t.Helper()
	oc, _ := connect(t, owner, u)
	before := len(must[[]chat.Group](t)(u.Groups(ctx)))
	if err := owner.InviteToGroup(ctx, groupID, oc, "member"); err != nil {
		t.Fatal(err)
	}
	var gid string
	waitFor(t, "invitation received", func() bool {
		gs, _ := u.Groups(ctx)
		if len(gs) > before {
			for _, g := range gs {
				if g.Status == "invited" {
					gid = g.GroupID
					return true
				}
			}
		}
		return false
	})
	if err := u.AcceptGroupInvitation(ctx, gid, opts); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "joined", func() bool { return groupOf(u, gid).Status == "active" })
	return gid
}

// connectedCount is the number of members u is directly connected with.
func connectedCount(u *User, gid string) int {
	ms, _ := u.Members(ctx, gid)
	n := 0
	for _, m := range ms {
		if m.Connection == "direct" {
			n++
		}
	}
	return n
}

func texts(ms []chat.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func names(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("u%d", i))
	}
	return out
}

var allUsers []*User

func dump(t testing.TB) {
	for _, u := range allUsers {
		s, _ := u.Skipped(ctx)
		gs, _ := u.Groups(ctx)
		cs, _ := u.Contacts(ctx)
		t.Logf("%s: skipped %+v contacts %+v", u.Name, s, cs)
		for _, g := range gs {
			ms, _ := u.Members(ctx, g.GroupID)
			t.Logf("   group %+v members %+v", g, ms)
		}
	}
}
