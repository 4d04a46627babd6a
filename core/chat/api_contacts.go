package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// SetProfile sets the user's profile (shown to new contacts and groups).
func (c *Client) SetProfile(ctx context.Context, p Profile) error {
	if p.DisplayName == "" {
		return newErr(CodeBadRequest, "displayName is required")
	}
	return c.update(ctx, func(t *tx) error {
		t.put(bMeta, "profile", proto.Profile{DisplayName: p.DisplayName, FullName: p.FullName})
		return nil
	})
}

// GetProfile returns the user's profile.
func (c *Client) GetProfile(ctx context.Context) (Profile, error) {
	var p proto.Profile
	err := c.view(ctx, func(t *tx) (err error) { p, err = t.userProfile(); return })
	return Profile{DisplayName: p.DisplayName, FullName: p.FullName}, err
}

// Invitation is a one-time contact invitation.
type Invitation struct {
	Link      string `json:"link"`
	ContactID string `json:"contactId"`
}

// CreateInvitation makes a one-time invitation link and a pending contact.
func (c *Client) CreateInvitation(ctx context.Context) (Invitation, error) {
	var inv Invitation
	err := c.update(ctx, func(t *tx) error {
		connID, link, err := t.CreateInvitation()
		if err != nil {
			return wrapErr(CodeAgent, err, "create invitation")
		}
		ct := &contactRec{ID: newID(), ConnID: connID, Status: csPending, ConnReq: link, Mine: true}
		t.putContact(ct)
		t.setRef(connID, connRef{Kind: refContact, ContactID: ct.ID})
		t.emit(ContactEvent{Contact: contactView(ct)})
		inv = Invitation{Link: link, ContactID: ct.ID}
		return nil
	})
	return inv, err
}

// Connect joins a one-time invitation link.
func (c *Client) Connect(ctx context.Context, link string) (string, error) {
	var id string
	err := c.update(ctx, func(t *tx) error {
		p, err := t.userProfile()
		if err != nil {
			return err
		}
		connID, err := c.join(t, link, encode(&proto.Info{Profile: p}))
		if err != nil {
			return err
		}
		ct := &contactRec{ID: newID(), ConnID: connID, Status: csConnecting}
		t.putContact(ct)
		t.setRef(connID, connRef{Kind: refContact, ContactID: ct.ID})
		t.emit(ContactEvent{Contact: contactView(ct)})
		id = ct.ID
		return nil
	})
	return id, err
}

// Contacts lists the contacts.
func (c *Client) Contacts(ctx context.Context) ([]Contact, error) {
	var out []Contact
	err := c.view(ctx, func(t *tx) error {
		cts, err := listJSON[contactRec](t, bContact, "")
		for i := range cts {
			out = append(out, contactView(&cts[i]))
		}
		return err
	})
	return out, err
}

// DeleteContact deletes a contact and its connection; for a member
// contact, a new one can be made again with StartDirectChat.
func (c *Client) DeleteContact(ctx context.Context, contactID string) error {
	return c.update(ctx, func(t *tx) error {
		ct, err := t.contact(contactID)
		if err != nil {
			return err
		}
		if err := c.dropContactConn(t, ct); err != nil {
			return err
		}
		t.Del(bContact, ct.ID)
		if ct.GroupID != "" {
			if m, err := t.member(ct.GroupID, ct.MemberID); err == nil && m != nil && m.ContactID == ct.ID {
				m.ContactID = ""
				t.putMember(m)
			}
		}
		return c.deleteHistory(t, contactChat(ct.ID))
	})
}

// deleteHistory deletes every message of a chat (and its id index).
func (c *Client) deleteHistory(t *tx, chat string) error {
	ms, err := listJSON[msgRec](t, bMsg, chat+"/")
	for i := range ms {
		t.Del(bMsg, msgKey(&ms[i]))
		t.Del(bMsgID, ms[i].ID)
	}
	return err
}

// Stats counts connections, subscriptions and pending deliveries.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := c.view(ctx, func(t *tx) error {
		ms, err := listJSON[memberRec](t, bMember, "")
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.ConnID != "" {
				s.GroupConnections++
			}
		}
		cts, err := listJSON[contactRec](t, bContact, "")
		if err != nil {
			return err
		}
		for _, ct := range cts {
			if ct.ConnID != "" {
				s.DirectConnections++
			}
		}
		gs, err := listJSON[groupRec](t, bGroup, "")
		if err != nil {
			return err
		}
		for _, g := range gs {
			if g.LinkConnID != "" {
				s.Subscriptions++
			}
		}
		s.Connections = s.GroupConnections + s.DirectConnections
		s.Subscriptions += s.Connections
		// Mine not yet taken by a relay: each copy the agent still holds,
		// those queued for members without a connection yet, and those
		// held for contacts not yet connected.
		s.PendingDeliveries = c.ag.Stats().PendingMessages
		mq, err := t.List(bMQ, "")
		s.PendingDeliveries += len(mq)
		if err != nil {
			return err
		}
		for _, ct := range cts {
			if ct.Status == csConnected {
				continue
			}
			held, err := listJSON[msgRec](t, bMsg, contactChat(ct.ID)+"/")
			if err != nil {
				return err
			}
			for _, m := range held {
				if len(m.Body) > 0 {
					s.PendingDeliveries++
				}
			}
		}
		return nil
	})
	return s, err
}

// MemberConnection returns the agent connection of our group connection
// with a member ("" while none): diagnostics, benchmarks and tests.
func (c *Client) MemberConnection(ctx context.Context, groupID, memberID string) string {
	id, err := proto.ParseBytes(memberID)
	if err != nil {
		return ""
	}
	var connID string
	_ = c.view(ctx, func(t *tx) error {
		m, err := t.member(groupID, id)
		if m != nil {
			connID = m.ConnID
		}
		return err
	})
	return connID
}
