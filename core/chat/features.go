package chat

import (
	"context"
	"strings"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// EditMessage changes the text of one of my messages, here and for every
// recipient (x.msg.update).
func (c *Client) EditMessage(ctx context.Context, messageID, text string) error {
	return c.update(ctx, func(t *tx) error {
		m, g, err := c.mine(t, messageID)
		if err != nil {
			return err
		}
		p := &proto.MsgUpdate{MsgID: m.SharedID, Content: *proto.Text(text)}
		if len(m.Mentions) > 0 {
			p.Mentions = map[string]proto.MentionedMember{}
			for name, id := range m.Mentions {
				mid, _ := proto.ParseBytes(id)
				p.Mentions[name] = proto.MentionedMember{MemberID: mid}
			}
		}
		m.Text, m.Edited = text, true
		if len(m.Body) > 0 { // still held for a pending contact: it leaves edited
			pn := &proto.MsgNew{Content: *proto.Text(text)}
			if old, err := proto.DecodeOne(m.Body); err == nil {
				if n, ok := old.Params.(*proto.MsgNew); ok {
					n.Content = pn.Content
					pn = n
				}
			}
			m.Body = encodeAs(pn, m.SharedID)
		} else if err := c.toChat(t, m.Chat, g, encode(p)); err != nil {
			return err
		}
		c.putMsg(t, m)
		t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: msgView(m)})
		return nil
	})
}

// mine returns my message messageID (with its group, nil for a contact's
// chat), one that can still be changed.
func (c *Client) mine(t *tx, messageID string) (*msgRec, *groupRec, error) {
	m, g, err := c.chatMsg(t, messageID)
	if err != nil {
		return nil, nil, err
	}
	if m.Sender != "me" || m.Deleted != "" || len(m.SharedID) == 0 {
		return nil, nil, newErr(CodeNotAllowed, "only my own messages can be changed")
	}
	return m, g, nil
}

// chatMsg returns a message and its group (nil in a contact's chat); the
// group must be active.
func (c *Client) chatMsg(t *tx, messageID string) (*msgRec, *groupRec, error) {
	m, err := t.msgByID(messageID)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, newErr(CodeNotFound, "message %s", messageID)
	}
	ref := chatRefOf(m.Chat)
	if ref.GroupID == "" {
		return m, nil, nil
	}
	g, err := t.activeGroup(ref.GroupID)
	return m, g, err
}

// toChat sends one protocol message to a chat: every member of a group
// (the host forwards to those not yet connected), or the contact.
func (c *Client) toChat(t *tx, chat string, g *groupRec, body []byte) error {
	if g != nil {
		to, err := c.recipients(t, &msgRec{}, g.ID)
		if err != nil {
			return err
		}
		return c.sendMembers(t, to, body, agent.SendOptions{})
	}
	ct, err := t.contact(strings.TrimPrefix(chat, "c"))
	if err != nil {
		return err
	}
	if ct.Status != csConnected {
		return newErr(CodeNotConnected, "contact is %s", ct.Status)
	}
	return c.post(t, ct.ConnID, body, agent.SendOptions{})
}

// DeleteOptions: forEveryone deletes for every recipient (my message, or
// — a group's admin or owner — anyone's), else here only.
type DeleteOptions struct {
	ForEveryone bool `json:"forEveryone,omitempty"`
}

// DeleteMessage deletes a message here, or for everyone (x.msg.del). The
// content is not kept: the message stays as "deleted" (removed where the
// group has fullDelete on).
func (c *Client) DeleteMessage(ctx context.Context, messageID string, o DeleteOptions) error {
	return c.update(ctx, func(t *tx) error {
		m, g, err := c.chatMsg(t, messageID)
		if err != nil {
			return err
		}
		if !o.ForEveryone {
			if err := c.discardFile(t, m, false); err != nil {
				return err
			}
			c.dropMsg(t, m)
			t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: gone(m, "here")})
			return nil
		}
		p := &proto.MsgDel{MsgID: m.SharedID}
		by := "sender"
		switch {
		case m.Deleted != "" || len(m.SharedID) == 0:
			return newErr(CodeNotAllowed, "the message cannot be deleted for everyone")
		case m.Sender == "me":
		case g == nil || !g.MyRole.AtLeast(proto.RoleAdmin):
			return newErr(CodeNotAllowed, "only admins and owners delete others' messages")
		default:
			author, err := t.member(g.ID, authorID(g, m.Sender))
			if err != nil {
				return err
			}
			if author != nil && author.Role.Rank() > g.MyRole.Rank() {
				return newErr(CodeNotAllowed, "cannot delete a %s's message", author.Role)
			}
			p.MemberID, by = authorID(g, m.Sender), "moderator"
		}
		if err := c.toChat(t, m.Chat, g, encode(p)); err != nil {
			return err
		}
		return c.markDeleted(t, m, g, by)
	})
}

// markDeleted deletes a message's content (the message stays, "deleted by
// by") or, where the group has fullDelete on, the message.
func (c *Client) markDeleted(t *tx, m *msgRec, g *groupRec, by string) error {
	if err := c.discardFile(t, m, true); err != nil {
		return err
	}
	if g != nil && g.Profile.GroupPreferences.On("fullDelete") {
		c.dropMsg(t, m)
		t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: gone(m, by)})
		return nil
	}
	m.Text, m.Deleted, m.Quote, m.Reactions, m.Mentions, m.Body = "", by, nil, nil, nil, nil
	m.FileID, m.File, m.Preview = "", nil, ""
	c.putMsg(t, m)
	t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: msgView(m)})
	return nil
}

// gone is the view of a message that was removed (the update event's
// last word on it).
func gone(m *msgRec, by string) Message {
	v := msgView(m)
	v.Text, v.Deleted, v.Quote, v.Reactions, v.Mentions, v.Removed = "", DeletedBy(by), nil, []Reaction{}, nil, true
	return v
}

// React adds or removes my reaction to a message (x.msg.react).
func (c *Client) React(ctx context.Context, messageID, emoji string, add bool) error {
	r := proto.Reaction{Type: "emoji", Emoji: emoji}
	if !proto.KnownReaction(r) {
		return newErr(CodeBadArgument, "reaction %q is not one of %s", emoji, strings.Join(proto.Reactions, " "))
	}
	return c.update(ctx, func(t *tx) error {
		m, g, err := c.chatMsg(t, messageID)
		if err != nil {
			return err
		}
		switch {
		case m.Deleted != "" || len(m.SharedID) == 0:
			return newErr(CodeNotAllowed, "the message cannot be reacted to")
		case g != nil && !g.Profile.GroupPreferences.On("reactions"):
			return newErr(CodeNotAllowed, "the group does not allow reactions")
		}
		if !setReaction(m, emoji, "me", add) {
			return nil // as it was: nothing to send
		}
		p := &proto.MsgReact{MsgID: m.SharedID, Reaction: r, Add: add}
		if g != nil {
			p.MemberID = authorID(g, m.Sender)
		}
		if err := c.toChat(t, m.Chat, g, encode(p)); err != nil {
			return err
		}
		c.putMsg(t, m)
		t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: msgView(m)})
		return nil
	})
}

// setReaction adds or removes who's reaction emoji; false when nothing
// changed.
func setReaction(m *msgRec, emoji, who string, add bool) bool {
	list := m.Reactions[emoji]
	i := -1
	for k, w := range list {
		if w == who {
			i = k
		}
	}
	switch {
	case add && i < 0:
		if m.Reactions == nil {
			m.Reactions = map[string][]string{}
		}
		m.Reactions[emoji] = append(list, who)
	case !add && i >= 0:
		list = append(list[:i:i], list[i+1:]...)
		if len(list) == 0 {
			delete(m.Reactions, emoji)
		} else {
			m.Reactions[emoji] = list
		}
	default:
		return false
	}
	return true
}

// MarkRead marks a chat's received messages read: its unread count is 0
// and the timers of its timed messages start.
func (c *Client) MarkRead(ctx context.Context, ref ChatRef) error {
	return c.update(ctx, func(t *tx) error {
		chat, err := t.chatKey(ref)
		if err != nil {
			return err
		}
		waiting, err := t.List(bTTLWait, chat+"/")
		if err != nil {
			return err
		}
		now := c.now()
		for _, kv := range waiting {
			m, err := t.msg(kv.Key)
			if err != nil || m == nil {
				t.Del(bTTLWait, kv.Key)
				continue
			}
			c.startTimer(t, m, now)
			c.putMsg(t, m)
			t.emit(UpdateEvent{Chat: ref, Message: msgView(m)})
		}
		return c.resetUnread(t, ref)
	})
}

// resetUnread sets a chat's unread count to 0 (and says so when it was not).
func (c *Client) resetUnread(t *tx, ref ChatRef) error {
	if ref.GroupID != "" {
		g, err := t.group(ref.GroupID)
		if err != nil || g.Unread == 0 {
			return err
		}
		g.Unread = 0
		t.putGroup(g)
		t.emitGroup(g)
		return nil
	}
	ct, err := t.contact(ref.ContactID)
	if err != nil || ct.Unread == 0 {
		return err
	}
	ct.Unread = 0
	t.putContact(ct)
	t.emit(ContactEvent{Contact: contactView(ct)})
	return nil
}
