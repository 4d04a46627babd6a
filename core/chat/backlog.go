package chat

import (
	"github.com/sxweb/sxweb/core/chat/proto"
)

// historyItems is how many recent messages a member joining by link gets
// (as SimpleX).
const historyItems = 100

// sendHistory (host): where the group has history on, a member who joined
// by my link gets the group's recent messages, as forwards with their
// authors and times (sent before it joined, so it shows them as history:
// not unread, no notification). Deleted and timed messages are left out.
func (c *Client) sendHistory(t *tx, g *groupRec, b *memberRec) error {
	if !g.Profile.GroupPreferences.On("history") {
		return nil
	}
	kvs, err := c.history(t, groupChat(g.ID), Page{Limit: historyItems})
	if err != nil {
		return err
	}
	var items []proto.Params
	for _, kv := range kvs {
		m, err := t.msg(kv.Key)
		if err != nil {
			return err
		}
		if m == nil || m.Deleted != "" || m.TTL > 0 || len(m.SharedID) == 0 || m.History || m.FileID != "" {
			continue
		}
		author, name := authorID(g, m.Sender), m.SenderName
		if a, err := t.member(g.ID, author); err == nil && a != nil {
			name = a.Profile.DisplayName
		} else if m.Sender == "me" {
			p, err := t.myProfile(g)
			if err != nil {
				return err
			}
			name = p.DisplayName
		}
		msg := &proto.Message{V: proto.Current, MsgID: m.SharedID, Params: historyMsg(g, m)}
		items = append(items, &proto.GrpMsgForward{MemberID: author, MemberName: name, Msg: msg, MsgTs: m.Ts})
	}
	if len(items) == 0 {
		return nil
	}
	return c.sendBatch(t, b, items)
}

// historyMsg is an x.msg.new as a history item carries it: text, quote
// and mentions (what the message shows).
func historyMsg(g *groupRec, m *msgRec) *proto.MsgNew {
	p := &proto.MsgNew{Content: *proto.Text(m.Text)}
	if q := m.Quote; q != nil {
		p.Quote = &proto.QuotedMsg{MsgRef: proto.MsgRef{MsgID: q.SharedID, SentAt: q.SentAt, Sent: q.Author == m.Sender,
			MemberID: authorID(g, q.Author)}, Content: *proto.Text(q.Text)}
	}
	if len(m.Mentions) > 0 {
		p.Mentions = map[string]proto.MentionedMember{}
		for name, id := range m.Mentions {
			mid, _ := proto.ParseBytes(id)
			p.Mentions[name] = proto.MentionedMember{MemberID: mid}
		}
	}
	return p
}
