package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// StartDirectChat makes a member contact on demand: a fresh connection and
// x.grp.direct.inv over our group connection, optionally with a first
// message. Messages sent while the contact is pending are queued.
func (c *Client) StartDirectChat(ctx context.Context, groupID, memberID, text string) (string, error) {
	id, err := proto.ParseBytes(memberID)
	if err != nil {
		return "", newErr(CodeBadRequest, "memberId")
	}
	var contactID string
	err = c.update(ctx, func(t *tx) error {
		g, m, err := t.activeMember(groupID, id, memberID)
		if err != nil {
			return err
		}
		switch {
		case g.MyRole.Rank() < proto.RoleAuthor.Rank():
			return newErr(CodeNotAllowed, "observers cannot start direct chats")
		case !g.Profile.GroupPreferences.DirectMessagesAllowed(g.MyRole):
			return newErr(CodeDirectMessagesOff, "the group does not allow direct messages for %s", g.MyRole)
		case m.ConnID == "":
			return newErr(CodeNotConnected, "no group connection with this member yet")
		}
		if m.ContactID != "" {
			if _, err := t.contact(m.ContactID); err == nil {
				return newErr(CodeContactExists, "contact %s", m.ContactID)
			}
		}
		connID, link, err := t.CreateInvitation()
		if err != nil {
			return wrapErr(CodeAgent, err, "create invitation")
		}
		ct := &contactRec{ID: newID(), ConnID: connID, Status: csPending, Profile: m.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: m.ID, Incognito: g.Incognito, ConnReq: link, Mine: true}
		t.putContact(ct)
		t.setRef(connID, connRef{Kind: refContact, ContactID: ct.ID})
		m.ContactID = ct.ID
		t.putMember(m)
		inv := &proto.GrpDirectInv{ConnReq: link}
		if text != "" {
			inv.Content = proto.Text(text)
		}
		if text != "" { // the first message rides in the invitation itself
			msg := &msgRec{ID: newMsgID(), Chat: contactChat(ct.ID), Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(),
				Status: StatusPending, Total: 1}
			c.putMsg(t, msg)
			t.emit(MessageEvent{Chat: ChatRef{ContactID: ct.ID}, Message: msgView(msg)})
			o := agent.SendOptions{Tag: msgKey(msg)}
			if err := c.post(t, m.ConnID, encode(inv), o); err != nil {
				return err
			}
		} else if err := c.post(t, m.ConnID, encode(inv), agent.SendOptions{}); err != nil {
			return err
		}
		t.emit(ContactEvent{Contact: contactView(ct)})
		contactID = ct.ID
		return nil
	})
	return contactID, err
}

// AcceptDirectChat accepts a member's invitation (status "request").
func (c *Client) AcceptDirectChat(ctx context.Context, contactID string) error {
	return c.update(ctx, func(t *tx) error {
		ct, err := t.contact(contactID)
		if err != nil {
			return err
		}
		if ct.Status != csRequest {
			return newErr(CodeNotAllowed, "contact is %s", ct.Status)
		}
		return c.acceptContact(t, ct)
	})
}

// SendDirectMessage sends to a contact; while it is not connected yet the
// message is queued and sent, in order, once it connects.
func (c *Client) SendDirectMessage(ctx context.Context, contactID, text string, opts ...SendOptions) (string, error) {
	o, err := oneOpt(opts)
	if err != nil {
		return "", err
	}
	var id string
	err = c.update(ctx, func(t *tx) error {
		ct, err := t.contact(contactID)
		if err != nil {
			return err
		}
		chat := contactChat(ct.ID)
		if id, err = t.sentBefore(chat, o.SendID); err != nil || id != "" {
			return err
		}
		m := &msgRec{ID: newMsgID(), Chat: chat, Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(),
			Status: StatusPending, Total: 1, Receipts: true}
		p, err := c.compose(t, m, o, nil)
		if err != nil {
			return err
		}
		body := encodeAs(p, m.SharedID)
		if ct.Status == csConnected {
			if err := c.post(t, ct.ConnID, body, agent.SendOptions{Tag: msgKey(m)}); err != nil {
				return err
			}
		} else {
			m.Body = body
		}
		c.putMsg(t, m)
		t.markSent(chat, o.SendID, m.ID)
		t.emit(MessageEvent{Chat: ChatRef{ContactID: ct.ID}, Message: msgView(m)})
		id = m.ID
		return nil
	})
	return id, err
}
