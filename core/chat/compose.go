package chat

import (
	"time"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// maxTTL bounds a timed message's time (a year).
const maxTTL = 365 * 24 * 3600

// compose fills my message m and its x.msg.new from the call's options: a
// reply's quote (a message of the same chat), a timed message's ttl (where
// the chat allows them: a group's timedMessages, always between contacts)
// and mentions (groups). g is nil for a contact.
func (c *Client) compose(t *tx, m *msgRec, o SendOptions, g *groupRec) (*proto.MsgNew, error) {
	p := &proto.MsgNew{Content: *proto.Text(m.Text)}
	m.SharedID = newMemberID()
	if o.Quote != "" {
		q, err := t.msgByID(o.Quote)
		if err != nil || q == nil || q.Chat != m.Chat {
			return nil, newErr(CodeNotFound, "message %s in this chat", o.Quote)
		}
		if q.Deleted != "" || len(q.SharedID) == 0 {
			return nil, newErr(CodeBadRequest, "message %s cannot be quoted", o.Quote)
		}
		ref := proto.MsgRef{MsgID: q.SharedID, SentAt: q.Ts.UTC(), Sent: q.Sender == "me"}
		if g != nil {
			ref.MemberID = authorID(g, q.Sender)
		}
		p.Quote = &proto.QuotedMsg{MsgRef: ref, Content: *proto.Text(q.Text)}
		m.Quote = &quoteRec{MessageID: q.ID, SharedID: q.SharedID, Author: q.Sender, Text: q.Text, SentAt: q.Ts}
	}
	if o.TTL != 0 {
		switch {
		case o.TTL < 0 || o.TTL > maxTTL:
			return nil, newErr(CodeBadRequest, "ttl must be 1 to %d seconds", maxTTL)
		case g != nil && !g.Profile.GroupPreferences.On("timedMessages"):
			return nil, newErr(CodeNotAllowed, "the group does not allow timed messages")
		}
		ttl := o.TTL
		p.TTL = &ttl
		m.TTL = ttl
		c.startTimer(t, m, m.Ts)
	}
	if len(o.Mentions) > 0 {
		if g == nil {
			return nil, newErr(CodeBadRequest, "mentions are for groups")
		}
		p.Mentions = map[string]proto.MentionedMember{}
		m.Mentions = map[string]string{}
		for name, id := range o.Mentions {
			mid, err := proto.ParseBytes(id)
			if err != nil {
				return nil, newErr(CodeBadRequest, "mention %q: memberId", name)
			}
			if mb, err := t.member(g.ID, mid); err != nil || mb == nil {
				return nil, newErr(CodeNotFound, "member %s", id)
			}
			p.Mentions[name] = proto.MentionedMember{MemberID: mid}
			m.Mentions[name] = mid.String()
		}
	}
	return p, nil
}

// authorID is the memberId of a message's sender in group g ("me": mine).
func authorID(g *groupRec, sender string) proto.Bytes {
	if sender == "me" {
		return g.MyID
	}
	id, _ := proto.ParseBytes(sender)
	return id
}

// encodeAs encodes one message of mine under its protocol msgId.
func encodeAs(p proto.Params, sid proto.Bytes) []byte {
	b, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: sid, Params: p})
	if err != nil {
		panic("chat: encode own message: " + err.Error())
	}
	return b
}

// msgByID returns the message with a messageId (nil when none).
func (t *tx) msgByID(id string) (*msgRec, error) {
	k, err := t.Get(bMsgID, id)
	if err != nil {
		return nil, ignoreStoreNotFound(err)
	}
	return t.msg(string(k))
}

// msgBySID returns the message of chat by its author and protocol msgId.
func (t *tx) msgBySID(chat, author string, sid proto.Bytes) (*msgRec, error) {
	k, err := t.Get(bSMID, smidKey(chat, author, sid))
	if err != nil {
		return nil, ignoreStoreNotFound(err)
	}
	return t.msg(string(k))
}

// startTimer starts a timed message's timer at from (sending, or reading).
func (c *Client) startTimer(t *tx, m *msgRec, from time.Time) {
	if m.TTL == 0 || m.ExpiresAt != nil {
		return
	}
	at := from.Add(time.Duration(m.TTL) * time.Second).UTC()
	m.ExpiresAt = &at
	t.Put(bExp, expKey(at, msgKey(m)), nil)
	t.Del(bTTLWait, msgKey(m))
	c.timerSet(t, at)
}
