package chat

import (
	"errors"
	"fmt"
	"time"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// incoming describes a received message for receiveNew: where it goes,
// who wrote it, and how it came.
type incoming struct {
	chat       string
	ref        ChatRef
	sender     string      // memberId or contactId
	senderName string      // set for an author that is not a member (history)
	sid        proto.Bytes // its protocol msgId
	ts         time.Time   // when it was sent (a forward's msgTs), else now
	history    bool        // the group's history, sent when I joined
	g          *groupRec   // nil in a contact's chat
}

// receiveNew stores a received x.msg.new: its quote (resolved to the
// message here), mentions of me, a timed message's ttl (its timer starts
// when read), and counts it unread unless it is history.
func (c *Client) receiveNew(t *tx, in incoming, p *proto.MsgNew) error {
	m := &msgRec{ID: newMsgID(), Chat: in.chat, Seq: c.nextSeq(t), Text: p.Content.Text, Sender: in.sender,
		SenderName: in.senderName, Ts: in.ts, Status: StatusReceived, SharedID: in.sid, History: in.history}
	if q := p.Quote; q != nil {
		author := c.quotedAuthor(in, q.MsgRef)
		m.Quote = &quoteRec{SharedID: q.MsgRef.MsgID, Author: author, Text: q.Content.Text, SentAt: q.MsgRef.SentAt}
		if len(q.MsgRef.MsgID) > 0 {
			if orig, err := t.msgBySID(in.chat, author, q.MsgRef.MsgID); err != nil {
				return err
			} else if orig != nil {
				m.Quote.MessageID = orig.ID
			}
		}
	}
	if len(p.Mentions) > 0 {
		m.Mentions = map[string]string{}
		for name, mm := range p.Mentions {
			m.Mentions[name] = mm.MemberID.String()
			if in.g != nil && mm.MemberID.Equal(in.g.MyID) {
				m.Mentioned = true
			}
		}
	}
	if p.TTL != nil && *p.TTL > 0 && !in.history {
		m.TTL = min(*p.TTL, maxTTL)
		t.Put(bTTLWait, msgKey(m), nil)
	}
	if p.File != nil && !in.history {
		c.receivedFile(t, m, p)
	}
	c.putMsg(t, m)
	unread := 0
	if !in.history {
		var err error
		if unread, err = c.countUnread(t, in.ref); err != nil {
			return err
		}
	}
	t.emit(MessageEvent{Chat: in.ref, Message: msgView(m), Unread: unread})
	return nil
}

// quotedAuthor is the author of the message a received quote names, from
// my side: "me", a memberId, or the contact.
func (c *Client) quotedAuthor(in incoming, ref proto.MsgRef) string {
	if in.g != nil {
		if ref.MemberID.Equal(in.g.MyID) {
			return "me"
		}
		if len(ref.MemberID) > 0 {
			return ref.MemberID.String()
		}
		return in.sender
	}
	if ref.Sent { // the contact quotes its own message
		return in.sender
	}
	return "me"
}

// countUnread counts one more unread message in a chat and returns the count.
func (c *Client) countUnread(t *tx, ref ChatRef) (int, error) {
	if ref.GroupID != "" {
		g, err := t.group(ref.GroupID)
		if err != nil {
			return 0, err
		}
		g.Unread++
		t.putGroup(g)
		return g.Unread, nil
	}
	ct, err := t.contact(ref.ContactID)
	if err != nil {
		return 0, err
	}
	ct.Unread++
	t.putContact(ct)
	return ct.Unread, nil
}

// changeFrom applies a received x.msg.update, x.msg.del or x.msg.react of
// sender (its memberId, or the contactId) in a chat; g is nil for a
// contact. A change of a message that is not here, or that sender may not
// make, is recorded (UNKNOWN_MESSAGE, PROHIBITED) and skipped.
func (c *Client) changeFrom(t *tx, in incoming, from *memberRec, params proto.Params) (bool, error) {
	rec := func(code, detail string) (bool, error) {
		e := errRec{Code: code, Detail: detail, ContactID: in.ref.ContactID, GroupID: in.ref.GroupID}
		if from != nil {
			e.MemberID = from.ID.String()
		}
		c.record(t, e)
		return false, nil
	}
	switch p := params.(type) {
	case *proto.MsgUpdate:
		m, err := t.msgBySID(in.chat, in.sender, p.MsgID)
		if err != nil || m == nil {
			return orUnknown(err, rec, "x.msg.update")
		}
		if m.Deleted != "" {
			return false, nil
		}
		m.Text, m.Edited = p.Content.Text, true
		c.putMsg(t, m)
		t.emit(UpdateEvent{Chat: in.ref, Message: msgView(m)})
	case *proto.MsgDel:
		return c.recvDelete(t, in, from, p, rec)
	case *proto.MsgReact:
		return c.recvReact(t, in, p, rec)
	case *proto.MsgFileDescr:
		return c.recvFileDescr(t, in, p, rec)
	}
	return true, nil
}

func orUnknown(err error, rec func(string, string) (bool, error), what string) (bool, error) {
	if err != nil {
		return false, err
	}
	return rec(CodeUnknownMessage, what+" for a message that is not here")
}

func (c *Client) recvDelete(t *tx, in incoming, from *memberRec, p *proto.MsgDel, rec func(string, string) (bool, error)) (bool, error) {
	author, by := in.sender, "sender"
	if len(p.MemberID) > 0 && (from == nil || !p.MemberID.Equal(from.ID)) { // moderation
		if in.g == nil || from == nil || !from.Role.AtLeast(proto.RoleAdmin) {
			return rec(CodeProhibited, "x.msg.del of another member's message by a non-admin")
		}
		author, by = p.MemberID.String(), "moderator"
		if p.MemberID.Equal(in.g.MyID) {
			author = "me"
		} else if a, err := t.member(in.g.ID, p.MemberID); err != nil {
			return false, err
		} else if a != nil && a.Role.Rank() > from.Role.Rank() {
			return rec(CodeProhibited, "x.msg.del of a higher role's message")
		}
	}
	m, err := t.msgBySID(in.chat, author, p.MsgID)
	if err != nil || m == nil {
		return orUnknown(err, rec, "x.msg.del")
	}
	if m.Deleted == "" {
		if err := c.markDeleted(t, m, in.g, by); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (c *Client) recvReact(t *tx, in incoming, p *proto.MsgReact, rec func(string, string) (bool, error)) (bool, error) {
	switch {
	case !proto.KnownReaction(p.Reaction):
		return rec(CodeBadMessage, fmt.Sprintf("x.msg.react with an unknown reaction %q", p.Reaction.Emoji))
	case in.g != nil && !in.g.Profile.GroupPreferences.On("reactions"):
		return rec(CodeProhibited, "x.msg.react where the group turned reactions off")
	}
	var m *msgRec
	var err error
	if in.g != nil {
		author := p.MemberID.String()
		if p.MemberID.Equal(in.g.MyID) {
			author = "me"
		}
		m, err = t.msgBySID(in.chat, author, p.MsgID)
	} else if m, err = t.msgBySID(in.chat, "me", p.MsgID); err == nil && m == nil { // mine or theirs
		m, err = t.msgBySID(in.chat, in.sender, p.MsgID)
	}
	if err != nil || m == nil {
		return orUnknown(err, rec, "x.msg.react")
	}
	if m.Deleted != "" {
		return false, nil
	}
	if setReaction(m, p.Reaction.Emoji, in.sender, p.Add) {
		c.putMsg(t, m)
		t.emit(UpdateEvent{Chat: in.ref, Message: msgView(m)})
	}
	return true, nil
}

func ignoreStoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
