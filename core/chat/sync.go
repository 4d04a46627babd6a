package chat

import (
	"fmt"
	"time"

	"github.com/sxweb/sxweb/core/agent"
)

// syncNoteSpan: a member's re-synchronization that lost nothing joins the
// group's notice of such syncs made within this span (SyncNote).
const syncNoteSpan = 10 * time.Minute

// When one side of a connection restored an older copy of its data, the
// agent re-synchronizes the connection's encryption (agent.RatchetSync);
// the chat of that contact, or the group of that member, gets a notice
// (Message.System "ratchetSync") saying so and what could not be read.
// When a copy of this account opened elsewhere takes its connections
// over (agent.SubscriptionsEnded), the app is told once (ElsewhereEvent).

// onRatchetSync adds the notice of a completed re-synchronization to the
// chat its connection belongs to.
func (c *Client) onRatchetSync(t *tx, e agent.RatchetSync) error {
	if e.State != agent.SyncDone {
		return nil
	}
	r, err := t.ref(e.ConnID)
	if err != nil || r == nil {
		return err
	}
	m := &msgRec{ID: newMsgID(), Ts: c.now(), Status: StatusReceived, System: SystemRatchetSync,
		Lost: e.Lost, Unconfirmed: e.Unconfirmed}
	var ref ChatRef
	var name string
	var group *groupRec
	switch r.Kind {
	case refContact:
		ct, err := t.contact(r.ContactID)
		if err != nil {
			return ignoreNotFound(err)
		}
		ref, m.Chat, m.Sender, name = ChatRef{ContactID: ct.ID}, contactChat(ct.ID), ct.ID, ct.Profile.DisplayName
	case refMember:
		mb, err := t.member(r.GroupID, r.MemberID)
		if err != nil || mb == nil {
			return ignoreNotFound(err)
		}
		g, err := t.group(r.GroupID)
		if err != nil || g == nil {
			return ignoreNotFound(err)
		}
		if e.Lost == 0 && e.Unconfirmed == 0 {
			if joined, err := c.joinSyncNote(t, g); joined || err != nil {
				return err
			}
		}
		ref, m.Chat, m.Sender, name = ChatRef{GroupID: r.GroupID}, groupChat(r.GroupID), mb.ID.String(), mb.Profile.DisplayName
		m.SenderName, group = name, g
	default:
		return nil
	}
	m.Seq, m.Text = c.nextSeq(t), syncNotice(name, e.Lost, e.Unconfirmed)
	if group != nil { // the group's notice to join next, if this one lost nothing
		group.SyncNote = ""
		if e.Lost == 0 && e.Unconfirmed == 0 {
			group.SyncNote = msgKey(m)
		}
		t.putGroup(group)
	}
	c.putMsg(t, m)
	t.emit(MessageEvent{Chat: ref, Message: msgView(m)})
	return nil
}

// joinSyncNote counts one more member in g's recent notice of syncs that
// lost nothing, if there is one: the notice is updated (an update event),
// not repeated.
func (c *Client) joinSyncNote(t *tx, g *groupRec) (bool, error) {
	if g.SyncNote == "" {
		return false, nil
	}
	n, err := t.msg(g.SyncNote)
	if err != nil || n == nil || n.System != SystemRatchetSync || n.Lost+n.Unconfirmed > 0 || c.now().Sub(n.Ts) > syncNoteSpan {
		return false, err
	}
	n.Others++
	n.Text = syncNotice(n.SenderName, 0, 0) + fmt.Sprintf(" and %d other %s", n.Others, plural(n.Others, "member", "members"))
	c.putMsg(t, n)
	t.emit(UpdateEvent{Chat: chatRefOf(n.Chat), Message: msgView(n)})
	return true, nil
}

// syncNotice is the notice's text (the app may word it from the counts).
func syncNotice(name string, lost, unconfirmed int) string {
	s := "encryption re-negotiated with " + name
	if lost > 0 {
		s += fmt.Sprintf("; %d %s could not be decrypted", lost, plural(lost, "message", "messages"))
	}
	if unconfirmed > 0 {
		s += fmt.Sprintf("; %d of your messages may not have arrived", unconfirmed)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// onMoved emits ElsewhereEvent the first time another client takes this
// account's connections over.
func (c *Client) onMoved(t *tx, e agent.SubscriptionsEnded) {
	if c.moved.Load() || len(e.ConnIDs)+e.Spares == 0 {
		return
	}
	t.emit(ElsewhereEvent{Connections: len(e.ConnIDs)})
	t.OnCommit(func() { c.moved.Store(true) })
}
