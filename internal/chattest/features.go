package chattest

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// msgText finds u's message with text in the group (nil when none).
func msgText(u *User, gid, text string) *chat.Message {
	ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gid})
	for i := range ms {
		if ms[i].Text == text {
			return &ms[i]
		}
	}
	return nil
}

// msgWith finds u's message of the group that f picks.
func msgWith(u *User, gid string, f func(chat.Message) bool) *chat.Message {
	ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gid})
	for i := range ms {
		if f(ms[i]) {
			return &ms[i]
		}
	}
	return nil
}

func unread(u *User, gid string) int { return groupOf(u, gid).Unread }

// RepliesEditsDeletesReactions: a reply quotes the message it answers
// (resolved to that message on every side), the author edits its own
// message, members react, an owner moderates a member's message, the
// author deletes its own for everyone, a member deletes one here only;
// what a member may not do is refused at the sender.
func RepliesEditsDeletesReactions(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann, bob := us[0], us[1], us[2]
	must[string](t)(ann.SendGroupMessage(ctx, gids[1], "meeting at 10?"))
	waitFor(t, "bob has ann's question", func() bool { return msgText(bob, gids[2], "meeting at 10?") != nil })
	if n := unread(bob, gids[2]); n != 1 {
		t.Fatalf("bob's unread %d, want 1", n)
	}
	must[struct{}](t)(struct{}{}, bob.MarkRead(ctx, chat.ChatRef{GroupID: gids[2]}))
	if n := unread(bob, gids[2]); n != 0 {
		t.Fatalf("bob's unread after markRead %d", n)
	}
	q := msgText(bob, gids[2], "meeting at 10?")
	annID := memberID(t, bob, gids[2], "ann")
	reply := must[string](t)(bob.SendGroupMessage(ctx, gids[2], "@ann yes", chat.SendOptions{Quote: q.MessageID,
		Mentions: map[string]string{"ann": annID}}))
	for i, u := range us {
		waitFor(t, u.Name+" has the reply", func() bool { return msgText(u, gids[i], "@ann yes") != nil })
		r := msgText(u, gids[i], "@ann yes")
		orig := msgText(u, gids[i], "meeting at 10?")
		if r.Quote == nil || r.Quote.Text != "meeting at 10?" || r.Quote.MessageID != orig.MessageID {
			t.Fatalf("%s: quote %+v, want the message %s", u.Name, r.Quote, orig.MessageID)
		}
		if r.Mentioned != (u == ann) || r.Mentions["ann"] != annID {
			t.Fatalf("%s: mentioned %v, mentions %v", u.Name, r.Mentioned, r.Mentions)
		}
	}
	// ann edits her question; bob may not
	aq := msgText(ann, gids[1], "meeting at 10?")
	if err := bob.EditMessage(ctx, msgText(bob, gids[2], "meeting at 10?").MessageID, "hijack"); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("bob edits ann's message: %v", err)
	}
	must[struct{}](t)(struct{}{}, ann.EditMessage(ctx, aq.MessageID, "meeting at 11?"))
	for i, u := range us {
		waitFor(t, u.Name+" sees the edit", func() bool {
			m := msgText(u, gids[i], "meeting at 11?")
			return m != nil && m.Edited
		})
	}
	// reactions
	if err := ann.React(ctx, aq.MessageID, "🐈", true); chat.ErrorCode(err) != chat.CodeBadArgument {
		t.Fatalf("a reaction outside the set: %v", err)
	}
	must[struct{}](t)(struct{}{}, owner.React(ctx, msgText(owner, gids[0], "@ann yes").MessageID, "👍", true))
	must[struct{}](t)(struct{}{}, ann.React(ctx, msgText(ann, gids[1], "@ann yes").MessageID, "👍", true))
	waitFor(t, "bob sees two 👍", func() bool {
		r := msgText(bob, gids[2], "@ann yes").Reactions
		return len(r) == 1 && r[0].Emoji == "👍" && r[0].Count == 2 && !r[0].Mine
	})
	if r := msgText(ann, gids[1], "@ann yes").Reactions; len(r) != 1 || !r[0].Mine {
		waitFor(t, "ann sees her own 👍", func() bool {
			r := msgText(ann, gids[1], "@ann yes").Reactions
			return len(r) == 1 && r[0].Mine && r[0].Count == 2
		})
	}
	// moderation: bob (a member) may not delete ann's message for everyone; the owner may delete bob's
	if err := bob.DeleteMessage(ctx, msgText(bob, gids[2], "meeting at 11?").MessageID, chat.DeleteOptions{ForEveryone: true}); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("a member deletes another's message for everyone: %v", err)
	}
	must[struct{}](t)(struct{}{}, owner.DeleteMessage(ctx, msgText(owner, gids[0], "@ann yes").MessageID, chat.DeleteOptions{ForEveryone: true}))
	for i, u := range us {
		waitFor(t, u.Name+" sees the moderation", func() bool {
			m := msgWith(u, gids[i], func(m chat.Message) bool { return m.Deleted == "moderator" })
			return m != nil && m.Text == "" && msgText(u, gids[i], "@ann yes") == nil
		})
	}
	_ = reply
	// ann deletes hers for everyone; bob deletes the moderated one here only
	must[struct{}](t)(struct{}{}, ann.DeleteMessage(ctx, aq.MessageID, chat.DeleteOptions{ForEveryone: true}))
	for i, u := range us {
		waitFor(t, u.Name+" sees ann's delete", func() bool {
			return msgWith(u, gids[i], func(m chat.Message) bool { return m.Deleted == "sender" }) != nil
		})
	}
	gone := msgWith(bob, gids[2], func(m chat.Message) bool { return m.Deleted == "moderator" })
	must[struct{}](t)(struct{}{}, bob.DeleteMessage(ctx, gone.MessageID, chat.DeleteOptions{}))
	if len(groupTexts(bob, gids[2])) != 1 || len(groupTexts(owner, gids[0])) != 2 {
		t.Fatalf("delete here: bob %d messages, owner %d", len(groupTexts(bob, gids[2])), len(groupTexts(owner, gids[0])))
	}
}

// ForgedChangesIgnored: a member cannot edit, delete or react to what is
// not there, nor delete another's message without being an admin: each is
// recorded (UNKNOWN_MESSAGE, PROHIBITED, BAD_MESSAGE) and nothing changes.
func ForgedChangesIgnored(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	ann, bob := us[1], us[2]
	must[string](t)(ann.SendGroupMessage(ctx, gids[1], "original"))
	waitFor(t, "bob has it", func() bool { return msgText(bob, gids[2], "original") != nil })
	annAtBob := memberID(t, bob, gids[2], "ann")
	annID, _ := proto.ParseBytes(annAtBob)
	conn := bob.MemberConnection(ctx, gids[2], memberID(t, bob, gids[2], "owner"))
	// bob does not know ann's protocol msgId: he guesses; and claims
	// moderation he does not have
	forged := []proto.Params{
		&proto.MsgUpdate{MsgID: proto.Bytes("guessed-msgid"), Content: *proto.Text("forged edit")},
		&proto.MsgDel{MsgID: proto.Bytes("guessed-msgid"), MemberID: annID},
		&proto.MsgReact{MsgID: proto.Bytes("guessed-msgid"), MemberID: annID, Reaction: proto.Reaction{Type: "emoji", Emoji: "🐈"}, Add: true},
	}
	for _, p := range forged {
		must[uint64](t)(RawSend(bob, conn, encode(p)))
	}
	owner := us[0]
	waitFor(t, "the owner recorded all three", func() bool {
		s, _ := owner.Skipped(ctx)
		return len(s) >= 3
	})
	codes := map[string]int{}
	for _, e := range must[[]chat.ErrorEvent](t)(owner.Skipped(ctx)) {
		codes[e.Code]++
	}
	if codes[chat.CodeUnknownMessage] != 1 || codes[chat.CodeProhibited] != 1 || codes[chat.CodeBadMessage] != 1 {
		t.Fatalf("owner recorded %v", codes)
	}
	if m := msgText(owner, gids[0], "original"); m == nil || m.Edited || m.Deleted != "" {
		t.Fatalf("the owner's copy changed: %+v", m)
	}
}

// ChangesForwardedBeforeConnected: while ann is offline (her connection
// with bob is not made yet), bob's message, its edit and his reaction
// reach her through their host, with every field.
func ChangesForwardedBeforeConnected(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	if ann.Stop == nil {
		t.Skip("this agent cannot take a user offline")
	}
	gid := must[string](t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must[string](t)(owner.CreateGroupLink(ctx, gid))
	ag := must[string](t)(ann.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "ann in", func() bool { return connectedCount(ann, ag) == 1 && groupOf(ann, ag).Status == "active" })
	must[string](t)(owner.SendGroupMessage(ctx, gid, "from the owner"))
	waitFor(t, "ann has it", func() bool { return msgText(ann, ag, "from the owner") != nil })
	ann.Stop()
	bg := must[string](t)(bob.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "bob in", func() bool { return groupOf(bob, bg).Status == "active" && msgText(bob, bg, "from the owner") == nil })
	waitFor(t, "bob knows ann", func() bool { return memberNamed(bob, bg, "ann") != "" })
	id := must[string](t)(bob.SendGroupMessage(ctx, bg, "draft", chat.SendOptions{Mentions: map[string]string{"ann": memberNamed(bob, bg, "ann")}}))
	must[struct{}](t)(struct{}{}, bob.EditMessage(ctx, id, "final"))
	ann.Start()
	waitFor(t, "ann has bob's edited message", func() bool {
		m := msgText(ann, ag, "final")
		return m != nil && m.Edited && m.Mentioned
	})
}

// TimedMessages: where the group allows them, a timed message goes at
// the sender when its time from sending ends, and at a receiver its timer
// starts only when read; timers survive a restart. Elsewhere NOT_ALLOWED.
func TimedMessages(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann := us[0], us[1]
	if _, err := owner.SendGroupMessage(ctx, gids[0], "x", chat.SendOptions{TTL: 60}); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("timed message where the group does not allow them: %v", err)
	}
	must[struct{}](t)(struct{}{}, owner.SetGroupPreferences(ctx, gids[0], chat.Preferences{Features: chat.Features{TimedMessages: "on"}}))
	waitFor(t, "ann sees timed messages on", func() bool { return groupOf(ann, gids[1]).TimedMessages == "on" })
	sent := time.Now()
	must[string](t)(owner.SendGroupMessage(ctx, gids[0], "gone soon", chat.SendOptions{TTL: 2}))
	waitFor(t, "ann has it", func() bool { return msgText(ann, gids[1], "gone soon") != nil })
	if m := msgText(owner, gids[0], "gone soon"); m.ExpiresAt == nil || m.TTL != 2 {
		t.Fatalf("sender's copy %+v: its timer runs from sending", m)
	}
	if m := msgText(ann, gids[1], "gone soon"); m.ExpiresAt != nil || m.TTL != 2 {
		t.Fatalf("receiver's copy %+v: its timer starts when read", m)
	}
	time.Sleep(2500 * time.Millisecond)
	if msgText(ann, gids[1], "gone soon") == nil {
		t.Fatal("the unread copy went before it was read")
	}
	if ann.Stop != nil { // a restart: the timer is kept
		ann.Stop()
		ann.Start()
	}
	must[struct{}](t)(struct{}{}, ann.MarkRead(ctx, chat.ChatRef{GroupID: gids[1]}))
	if m := msgText(ann, gids[1], "gone soon"); m == nil || m.ExpiresAt == nil {
		t.Fatalf("after reading: %+v", m)
	}
	waitFor(t, "the sender's copy goes", func() bool { return msgText(owner, gids[0], "gone soon") == nil })
	waitFor(t, "the read copy goes", func() bool { return msgText(ann, gids[1], "gone soon") == nil })
	if time.Since(sent) < 2*time.Second {
		t.Fatal("gone before its time")
	}
}

// HistoryForNewMembers: where the group has history on, a member joining
// by link gets the recent messages (as history: not unread), and what
// comes after as usual.
func HistoryForNewMembers(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	gid := must[string](t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g", Features: chat.Features{History: "on"}}))
	link := must[string](t)(owner.CreateGroupLink(ctx, gid))
	ag := must[string](t)(ann.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "ann in", func() bool { return connectedCount(ann, ag) == 1 && groupOf(ann, ag).Status == "active" })
	must[string](t)(owner.SendGroupMessage(ctx, gid, "one"))
	must[string](t)(ann.SendGroupMessage(ctx, ag, "two"))
	waitFor(t, "the owner has both", func() bool { return len(groupTexts(owner, gid)) == 2 })
	time.Sleep(10 * time.Millisecond) // bob joins after they were sent
	bg := must[string](t)(bob.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "bob has the history", func() bool { return len(groupTexts(bob, bg)) == 2 })
	for _, text := range []string{"one", "two"} {
		m := msgText(bob, bg, text)
		if !m.History || m.Sender == "me" {
			t.Fatalf("bob's %q: %+v, want history", text, m)
		}
	}
	if n := unread(bob, bg); n != 0 {
		t.Fatalf("history counted unread: %d", n)
	}
	waitFor(t, "mesh", func() bool { return connectedCount(bob, bg) == 2 })
	must[string](t)(ann.SendGroupMessage(ctx, ag, "three"))
	waitFor(t, "bob has the new one", func() bool { return msgText(bob, bg, "three") != nil })
	if m := msgText(bob, bg, "three"); m.History || unread(bob, bg) != 1 {
		t.Fatalf("a live message: %+v unread %d", m, unread(bob, bg))
	}
}
