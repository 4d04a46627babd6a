package chat

import (
	"context"

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
		// An x.grp.direct.inv from m arriving while the invitation is made
		// without the lock waits (errRetry) and then finds ours: the
		// simultaneous case. One that committed before is seen below.
		key := g.ID + "/" + m.ID.String()
		c.inviting[key] = true
		connID, link, err := c.createInvitation(t)
		delete(c.inviting, key)
		if err != nil {
			return err
		}
		if m, err = t.member(g.ID, id); err != nil || m == nil || m.ConnID == "" {
			_ = c.unlocked(func() error { return c.ag.Delete(t.ctx, connID) })
			return newErr(CodeNotFound, "member %s", memberID)
		}
		if m.ContactID != "" {
			if _, err := t.contact(m.ContactID); err == nil { // m's invitation came first
				_ = c.unlocked(func() error { return c.ag.Delete(t.ctx, connID) })
				return newErr(CodeContactExists, "contact %s", m.ContactID)
			}
		}
		ct := &contactRec{ID: newID(8), ConnID: connID, Status: csPending, Profile: m.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: m.ID, Incognito: g.Incognito, ConnReq: link, Mine: true}
		t.putContact(ct)
		t.setRef(connID, connRef{Kind: refContact, ContactID: ct.ID})
		m.ContactID = ct.ID
		t.putMember(m)
		inv := &proto.GrpDirectInv{ConnReq: link}
		if text != "" {
			inv.Content = proto.Text(text)
		}
		if err := c.post(t, m.ConnID, encode(inv), nil); err != nil {
			return err
		}
		if text != "" {
			msg := &msgRec{ID: newID(8), Chat: contactChat(ct.ID), Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(),
				Status: "sent", Deliv: map[string]string{ct.ID: "sent"}}
			c.putMsg(t, msg)
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
func (c *Client) SendDirectMessage(ctx context.Context, contactID, text string) (string, error) {
	var id string
	err := c.update(ctx, func(t *tx) error {
		ct, err := t.contact(contactID)
		if err != nil {
			return err
		}
		body := encode(&proto.MsgNew{Content: *proto.Text(text)})
		m := &msgRec{ID: newID(8), Chat: contactChat(ct.ID), Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(),
			Status: "pending", Deliv: map[string]string{ct.ID: "pending"}}
		if ct.Status == csConnected {
			m.Status = "sending"
			c.putMsg(t, m)
			if err := c.post(t, ct.ConnID, body, &dlvRec{MsgKey: m.Chat + "/" + seqKey(m.Seq), Members: []string{ct.ID}}); err != nil {
				return err
			}
		} else {
			m.Body = body
			c.putMsg(t, m)
		}
		t.emit(MessageEvent{Chat: ChatRef{ContactID: ct.ID}, Message: msgView(m)})
		id = m.ID
		return nil
	})
	return id, err
}
