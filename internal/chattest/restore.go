package chattest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// A user restores an older backup (export, chat on, import the export
// elsewhere): its connections' encryption and message chains are older
// than its peers'. The connections re-synchronize by themselves; each chat
// shows a notice, and messages flow both ways again. Scenarios skip on an
// agent that keeps no data to back up (the fake agent).

// notices returns the re-synchronization notices of a chat.
func notices(u *User, ref chat.ChatRef) []chat.Message {
	ms, _ := u.Messages(ctx, ref)
	var out []chat.Message
	for _, m := range ms {
		if m.System == chat.SystemRatchetSync {
			out = append(out, m)
		}
	}
	return out
}

// noDuplicates fails when a chat shows the same text twice.
func noDuplicates(t *testing.T, u *User, ref chat.ChatRef) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range u.mustMessages(t, ref) {
		if m.System == "" && seen[m.Sender+" "+m.Text] {
			t.Fatalf("%s: %q from %s twice", u.Name, m.Text, m.Sender)
		}
		seen[m.Sender+" "+m.Text] = true
	}
}

func hasText(u *User, ref chat.ChatRef, text string) bool {
	ms, _ := u.Messages(ctx, ref)
	for _, m := range ms {
		if m.Text == text {
			return true
		}
	}
	return false
}

// ContactRestoredFromStaleBackup: ann opens an older backup while bob
// went on; both write at once, the connection re-synchronizes, both
// chats show the notice, and the contact works both ways.
func ContactRestoredFromStaleBackup(t *testing.T, mk Factory) {
	us := mk(t, false, "ann", "bob")
	ann, bob := us[0], us[1]
	if ann.Backup == nil {
		t.Skip("this agent keeps no data to back up")
	}
	ac, bc := connect(t, ann, bob)
	annRef, bobRef := chat.ChatRef{ContactID: ac}, chat.ChatRef{ContactID: bc}
	direct := func(a *User, aRef chat.ChatRef, b *User, bRef chat.ChatRef, text string) {
		must[string](t)(a.SendDirectMessage(ctx, aRef.ContactID, text))
		waitFor(t, b.Name+" got "+text, func() bool { return hasText(b, bRef, text) })
	}
	direct(ann, annRef, bob, bobRef, "hi bob")
	direct(bob, bobRef, ann, annRef, "hi ann")
	restore := ann.Backup()
	for i := range 3 {
		direct(ann, annRef, bob, bobRef, fmt.Sprintf("ann after %d", i))
		direct(bob, bobRef, ann, annRef, fmt.Sprintf("bob after %d", i))
	}
	ann.Stop()
	ann2 := restore()
	must[string](t)(ann2.SendDirectMessage(ctx, ac, "ann is back"))
	must[string](t)(bob.SendDirectMessage(ctx, bc, "bob writes meanwhile"))
	waitFor(t, "notices on both sides", func() bool {
		return len(notices(ann2, annRef)) == 1 && len(notices(bob, bobRef)) == 1
	})
	direct(ann2, annRef, bob, bobRef, "ann again")
	direct(bob, bobRef, ann2, annRef, "bob again")
	n := notices(ann2, annRef)[0]
	if !strings.HasPrefix(n.Text, "encryption re-negotiated with bob") || n.Sender != ac {
		t.Fatalf("ann's notice %+v", n)
	}
	// what bob wrote after the backup is shown or counted lost (the old app
	// took it, but the relay gives one again when its acknowledgement was
	// cut off by the close)
	missing := 0
	for _, text := range []string{"bob after 0", "bob after 1", "bob after 2", "bob writes meanwhile"} {
		if !hasText(ann2, annRef, text) {
			missing++
		}
	}
	if missing < 3 || n.Lost < missing {
		t.Fatalf("ann's notice %+v: %d of bob's messages not shown", n, missing)
	}
	noDuplicates(t, ann2, annRef)
	noDuplicates(t, bob, bobRef)
}

// GroupMemberRestoredFromStaleBackup: ann, a member of a group of three,
// opens an older backup; her connections with both members
// re-synchronize, each chat shows it, and group messages flow both ways.
func GroupMemberRestoredFromStaleBackup(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	if us[1].Backup == nil {
		t.Skip("this agent keeps no data to back up")
	}
	gids := smallGroup(t, us, chat.GroupSettings{})
	everyone := func(us []*User, tag string) {
		for i, u := range us {
			must[string](t)(u.SendGroupMessage(ctx, gids[i], u.Name+" "+tag))
		}
		for i, u := range us {
			for _, from := range us {
				if from != u {
					waitFor(t, u.Name+" has "+from.Name+" "+tag, func() bool {
						return hasText(u, chat.ChatRef{GroupID: gids[i]}, from.Name+" "+tag)
					})
				}
			}
		}
	}
	everyone(us, "before")
	restore := us[1].Backup()
	everyone(us, "after")
	us[1].Stop()
	ann2 := restore()
	now := []*User{us[0], ann2, us[2]}
	for i, u := range now {
		must[string](t)(u.SendGroupMessage(ctx, gids[i], u.Name+" writes at once"))
	}
	// one notice per member, or one for both where neither lost anything
	covered := func(ns []chat.Message) int {
		n := 0
		for _, m := range ns {
			n += 1 + m.Others
		}
		return n
	}
	waitFor(t, "notices", func() bool {
		return covered(notices(ann2, chat.ChatRef{GroupID: gids[1]})) == 2 &&
			len(notices(us[0], chat.ChatRef{GroupID: gids[0]})) == 1 && len(notices(us[2], chat.ChatRef{GroupID: gids[2]})) == 1
	})
	everyone(now, "after the re-sync")
	// what the members wrote after the backup is shown or counted lost
	// (the old app took it; unless the relay gave it again to the new one,
	// its acknowledgement cut off when the old one closed)
	for _, n := range notices(ann2, chat.ChatRef{GroupID: gids[1]}) {
		name := strings.TrimPrefix(n.Text, "encryption re-negotiated with ")
		name, _, _ = strings.Cut(name, ";")
		names := []string{name}
		if n.Others > 0 {
			names = []string{us[0].Name, us[2].Name}
		}
		missing := 0
		for _, name := range names {
			for _, text := range []string{name + " after", name + " writes at once"} {
				if !hasText(ann2, chat.ChatRef{GroupID: gids[1]}, text) {
					missing++
				}
			}
		}
		if n.Lost < missing {
			t.Fatalf("ann's notice %+v: %d of %v's messages neither shown nor counted", n, missing-n.Lost, names)
		}
	}
	annID := memberID(t, us[0], gids[0], "ann")
	if n := notices(us[0], chat.ChatRef{GroupID: gids[0]})[0]; n.Sender != annID || !strings.Contains(n.Text, "with ann") {
		t.Fatalf("owner's notice %+v, want one about ann", n)
	}
	for i, u := range now {
		noDuplicates(t, u, chat.ChatRef{GroupID: gids[i]})
	}
}

// MovedToAnotherBrowser: ann's data is opened in a second app while the
// first runs. The first learns it once (ElsewhereEvent) and gets nothing more;
// the second carries on with bob.
func MovedToAnotherBrowser(t *testing.T, mk Factory) {
	us := mk(t, false, "ann", "bob")
	ann, bob := us[0], us[1]
	if ann.Backup == nil {
		t.Skip("this agent keeps no data to back up")
	}
	ac, bc := connect(t, ann, bob)
	hello := must[string](t)(bob.SendDirectMessage(ctx, bc, "hello"))
	// ann's receipt is in: she sends nothing more, so the copy is exactly
	// her state (a copy that lags behind would be a stale one)
	waitFor(t, "hello delivered", func() bool {
		for _, m := range bob.mustMessages(t, chat.ChatRef{ContactID: bc}) {
			if m.MessageID == hello {
				return m.Status == chat.StatusDelivered
			}
		}
		return false
	})
	ann2 := ann.Backup()()
	wctx, cancel := context.WithTimeout(ctx, WaitLimit)
	defer cancel()
	for {
		ev, err := ann.Events().Pop(wctx)
		if err != nil {
			t.Fatal("no elsewhere event at the first app")
		}
		if m, ok := ev.(chat.ElsewhereEvent); ok {
			if m.Connections < 1 {
				t.Fatalf("moved %+v", m)
			}
			break
		}
	}
	must[string](t)(bob.SendDirectMessage(ctx, bc, "where are you"))
	waitFor(t, "the second app gets it", func() bool { return hasText(ann2, chat.ChatRef{ContactID: ac}, "where are you") })
	must[string](t)(ann2.SendDirectMessage(ctx, ac, "here, in another browser"))
	waitFor(t, "bob gets the answer", func() bool {
		return hasText(bob, chat.ChatRef{ContactID: bc}, "here, in another browser")
	})
	if hasText(ann, chat.ChatRef{ContactID: ac}, "where are you") {
		t.Fatal("the first app still receives")
	}
	if n := notices(bob, chat.ChatRef{ContactID: bc}); len(n) != 0 {
		t.Fatalf("bob re-synchronized: %+v (the apps fought)", n)
	}
}
