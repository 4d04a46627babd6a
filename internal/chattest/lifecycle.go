package chattest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// LeaveWhileConnectingEndsDeliveries: bob joins while ann is offline, so
// bob's group connection with ann is still being made when bob leaves.
// What bob queued for ann (his x.grp.leave) can never leave: leaving must
// end it, and nothing stays pending (stats().pendingDeliveries was stuck
// at 1 before).
func LeaveWhileConnectingEndsDeliveries(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	if ann.Stop == nil {
		t.Skip("this agent cannot take a user offline")
	}
	gid := must[string](t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must[string](t)(owner.CreateGroupLink(ctx, gid))
	ag := must[string](t)(ann.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "ann joined", func() bool { return connectedCount(ann, ag) == 1 })
	ann.Stop()
	bg := must[string](t)(bob.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "bob knows ann and is making his connection with her", func() bool {
		id := memberNamed(bob, bg, "ann")
		return id != "" && bob.MemberConnection(ctx, bg, id) != ""
	})
	if err := bob.LeaveGroup(ctx, bg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "nothing pending at bob", func() bool {
		s, _ := bob.Stats(ctx)
		return s.PendingDeliveries == 0
	})
	if s := must[chat.Stats](t)(bob.Stats(ctx)); s.GroupConnections != 0 {
		t.Fatalf("bob left and keeps %d group connections", s.GroupConnections)
	}
	ann.Start()
	waitFor(t, "ann sees bob leave", func() bool {
		for _, m := range must[[]chat.Member](t)(ann.Members(ctx, ag)) {
			if m.DisplayName == "bob" {
				return m.Status == "left"
			}
		}
		return false
	})
	if err := owner.DeleteGroup(ctx, gid); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "nothing pending at the owner", func() bool {
		s, _ := owner.Stats(ctx)
		return s.PendingDeliveries == 0 && s.GroupConnections == 0
	})
}

// IdempotentSend: a send repeated with the same sendId (a caller that
// crashed before it knew the first one landed) returns the first message
// and sends nothing more; another sendId is another message.
func IdempotentSend(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann := us[0], us[1]
	first := must[string](t)(owner.SendGroupMessage(ctx, gids[0], "once", chat.SendOptions{SendID: "s-1"}))
	again := must[string](t)(owner.SendGroupMessage(ctx, gids[0], "once", chat.SendOptions{SendID: "s-1"}))
	if first != again {
		t.Fatalf("the same sendId gave messages %s and %s", first, again)
	}
	must[string](t)(owner.SendGroupMessage(ctx, gids[0], "twice", chat.SendOptions{SendID: "s-2"}))
	waitFor(t, "ann got the second", func() bool { return len(groupTexts(ann, gids[1])) == 2 })
	if got := groupTexts(ann, gids[1]); got[0] != "once" || got[1] != "twice" {
		t.Fatalf("ann has %q, want [once twice]", got)
	}
	oc, ac := connect(t, owner, ann)
	d1 := must[string](t)(owner.SendDirectMessage(ctx, oc, "hi", chat.SendOptions{SendID: "s-1"})) // another chat
	d2 := must[string](t)(owner.SendDirectMessage(ctx, oc, "hi", chat.SendOptions{SendID: "s-1"}))
	if d1 != d2 || d1 == first {
		t.Fatalf("direct sends %s, %s (group's %s): a sendId is per chat", d1, d2, first)
	}
	waitFor(t, "ann got the direct one", func() bool {
		ms, _ := ann.Messages(ctx, chat.ChatRef{ContactID: ac})
		return len(ms) == 1
	})
	if ms := owner.mustMessages(t, chat.ChatRef{GroupID: gids[0]}); len(ms) != 2 {
		t.Fatalf("owner's group has %d messages, want 2", len(ms))
	}
}

// ConcurrentCallsAndEvents: every user sends to the group and to a
// contact from several goroutines while reading and changing its state,
// and receives meanwhile. No deadlock, and every message reaches everyone
// exactly once (run under -race in ./build.sh test).
func ConcurrentCallsAndEvents(t *testing.T, mk Factory) {
	const workers, each = 3, 8
	us := mk(t, false, "owner", "ann", "bob")
	gids := smallGroup(t, us, chat.GroupSettings{DirectMessages: "on"})
	ownerC, annC := connect(t, us[0], us[1])
	var wg sync.WaitGroup
	errs := make(chan error, len(us)*workers)
	for i, u := range us {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range each {
					text := fmt.Sprintf("%s %d/%d", u.Name, w, k)
					if _, err := u.SendGroupMessage(ctx, gids[i], text); err != nil {
						errs <- err
						return
					}
					if c := map[int]string{0: ownerC, 1: annC}[i]; c != "" {
						if _, err := u.SendDirectMessage(ctx, c, "direct "+text); err != nil {
							errs <- err
							return
						}
					}
					_, _ = u.Members(ctx, gids[i])
					_, _ = u.Messages(ctx, chat.ChatRef{GroupID: gids[i]}, chat.Page{Limit: 5})
					_, _ = u.Stats(ctx)
					if k == each/2 {
						if _, err := u.CreateInvitation(ctx); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := len(us) * workers * each
	for i, u := range us {
		waitFor(t, u.Name+" has every group message", func() bool { return len(groupTexts(u, gids[i])) == total })
		seen := map[string]bool{}
		for _, text := range groupTexts(u, gids[i]) {
			if seen[text] {
				t.Fatalf("%s has %q twice", u.Name, text)
			}
			seen[text] = true
		}
	}
	for _, side := range []struct {
		u *User
		c string
	}{{us[0], ownerC}, {us[1], annC}} {
		waitFor(t, side.u.Name+" has every direct message", func() bool {
			ms, _ := side.u.Messages(ctx, chat.ChatRef{ContactID: side.c})
			return len(ms) == 2*workers*each
		})
	}
}

func (u *User) mustMessages(t *testing.T, ref chat.ChatRef) []chat.Message {
	t.Helper()
	return must[[]chat.Message](t)(u.Messages(ctx, ref))
}
