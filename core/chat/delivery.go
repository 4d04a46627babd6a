package chat

import (
	"slices"
	"strings"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// deliveryKind is what the agent said of a copy of one of my messages.
type deliveryKind int

const (
	deliverySent   deliveryKind = iota // the relay took it
	deliveryDone                       // the recipient confirmed it (receipt)
	deliveryFailed                     // the relay refused it for good
)

// onSent applies the agent's Sent, Delivered or SendFailed of a copy of
// my message tag (its record key) on connection connID. The copy counts
// for its member and, for a host, for the members it forwards to.
func (c *Client) onSent(t *tx, connID, tag string, kind deliveryKind) error {
	if tag == "" {
		return nil // a protocol message
	}
	m, err := t.msg(tag)
	if err != nil || m == nil {
		return err // deleted meanwhile
	}
	n, memberID := 1, ""
	if strings.HasPrefix(m.Chat, "g") {
		r, err := t.ref(connID)
		if err != nil {
			return err
		}
		if r != nil && len(r.MemberID) > 0 {
			memberID = r.MemberID.String()
			n += m.Via[memberID]
		}
	}
	switch kind {
	case deliverySent:
		m.Sent += n
	case deliveryDone:
		m.Delivered += n
	case deliveryFailed:
		m.Failed += n
	}
	m.Status = m.status()
	c.putMsg(t, m)
	t.delivery(m, memberID)
	return nil
}

// status derives my message's status from its counts.
func (m *msgRec) status() MsgStatus {
	switch {
	case m.Total > 0 && m.Receipts && m.Delivered >= m.Total:
		return StatusDelivered
	case m.Sent > 0:
		return StatusSent
	case m.Total > 0 && m.Failed >= m.Total:
		return StatusFailed
	}
	return StatusPending
}

// delivery records the DeliveryEvent of m for this transaction (one per
// message: a later change replaces it; memberID is kept only while one
// member changed).
func (t *tx) delivery(m *msgRec, memberID string) {
	ev := t.dlv[m.ID]
	if ev == nil {
		ev = &DeliveryEvent{Chat: chatRefOf(m.Chat), MessageID: m.ID, MemberID: memberID}
		t.dlv[m.ID] = ev
		t.dlvKeys = append(t.dlvKeys, m.ID)
	} else if ev.MemberID != memberID {
		ev.MemberID = ""
	}
	ev.Status, ev.Total, ev.Sent, ev.Delivered, ev.Receipts = m.Status, m.Total, m.Sent, m.Delivered, m.Receipts
}

// msg returns the message record under key (nil when absent), read once
// per transaction.
func (t *tx) msg(key string) (*msgRec, error) {
	if m, ok := t.msgs[key]; ok {
		return m, nil
	}
	var m msgRec
	ok, err := t.getJSON(bMsg, key, &m)
	if err != nil || !ok {
		return nil, err
	}
	t.msgs[key] = &m
	return &m, nil
}

func msgView(m *msgRec) Message {
	v := Message{MessageID: m.ID, Text: m.Text, Sender: m.Sender, Ts: m.Ts, Status: m.Status,
		Total: m.Total, Sent: m.Sent, Delivered: m.Delivered, Receipts: m.Receipts,
		Edited: m.Edited, Deleted: DeletedBy(m.Deleted), TTL: m.TTL, Mentioned: m.Mentioned,
		History: m.History, SenderName: m.SenderName, Reactions: []Reaction{}, File: m.File, Preview: m.Preview,
		Mentions: m.Mentions, System: m.System, Lost: m.Lost, Unconfirmed: m.Unconfirmed, Others: m.Others}
	if q := m.Quote; q != nil {
		v.Quote = &Quote{MessageID: q.MessageID, Text: q.Text, Sender: q.Author}
	}
	if m.ExpiresAt != nil {
		ms := m.ExpiresAt.UnixMilli()
		v.ExpiresAt = &ms
	}
	for _, e := range proto.Reactions {
		if who := m.Reactions[e]; len(who) > 0 {
			v.Reactions = append(v.Reactions, Reaction{Emoji: e, Count: len(who), Mine: slices.Contains(who, "me")})
		}
	}
	return v
}

func msgKey(m *msgRec) string { return m.Chat + "/" + seqKey(m.Seq) }

// putMsg writes a message record (and its indexes: by id, and by author
// and protocol msgId).
func (c *Client) putMsg(t *tx, m *msgRec) {
	k := msgKey(m)
	t.msgs[k] = m
	t.put(bMsg, k, m)
	t.Put(bMsgID, m.ID, []byte(k))
	if len(m.SharedID) > 0 {
		t.Put(bSMID, smidKey(m.Chat, m.Sender, m.SharedID), []byte(k))
	}
}

// dropMsg removes a message record and its indexes.
func (c *Client) dropMsg(t *tx, m *msgRec) {
	k := msgKey(m)
	delete(t.msgs, k)
	t.Del(bMsg, k)
	t.Del(bMsgID, m.ID)
	if len(m.SharedID) > 0 {
		t.Del(bSMID, smidKey(m.Chat, m.Sender, m.SharedID))
	}
	if m.ExpiresAt != nil {
		t.Del(bExp, expKey(*m.ExpiresAt, k))
	}
	t.Del(bTTLWait, k)
}

func smidKey(chat, author string, sid proto.Bytes) string {
	return chat + "/" + author + "/" + sid.String()
}
