package chat

import (
	"context"
	"strings"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// SendGroupMessage sends text to every member: directly to the members
// connected with me, through their host to the others.
func (c *Client) SendGroupMessage(ctx context.Context, groupID, text string) (string, error) {
	var id string
	err := c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		if g.MyRole.Rank() < proto.RoleAuthor.Rank() {
			return newErr(CodeNotAllowed, "observers cannot send")
		}
		ms, err := t.members(g.ID)
		if err != nil {
			return err
		}
		m := &msgRec{ID: newID(8), Chat: groupChat(g.ID), Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(),
			Status: "sending", Deliv: map[string]string{}}
		msgKey := m.Chat + "/" + seqKey(m.Seq)
		viaHost := map[string][]string{} // host memberID -> members it forwards to
		for _, mb := range ms {
			if !active(mb) || mb.Status == msInvited {
				continue
			}
			// An invitee of mine that accepted (msAccepted) has its group
			// connection and may already see me as connected (its side of
			// the handshake ends first): the agent holds the message until
			// our side is up, as SimpleX keeps it pending. Skipping it lost
			// the message for that member for good.
			if mb.Status == msConnected || mb.Status == msAccepted && mb.ConnID != "" {
				m.Deliv[mb.ID.String()] = "pending"
			} else if len(mb.IntroBy) > 0 {
				m.Deliv[mb.ID.String()] = "via-host"
				viaHost[mb.IntroBy.String()] = append(viaHost[mb.IntroBy.String()], mb.ID.String())
			}
		}
		body := encode(&proto.MsgNew{Content: *proto.Text(text)})
		c.putMsg(t, m)
		for _, mb := range ms {
			if m.Deliv[mb.ID.String()] != "pending" {
				continue
			}
			covered := append([]string{mb.ID.String()}, viaHost[mb.ID.String()]...)
			if err := c.post(t, mb.ConnID, body, &dlvRec{MsgKey: msgKey, Members: covered}); err != nil {
				return err
			}
		}
		t.recheck = c.recheckViaHost(g.ID, msgKey, body)
		t.emit(MessageEvent{Chat: ChatRef{GroupID: g.ID}, Message: msgView(m)})
		id = m.ID
		return nil
	})
	return id, err
}

// recheckViaHost closes a race: a member left to the host ("via-host")
// may have connected with me while the message was being sent, and told
// the host (x.grp.mem.con) before my message reached it, so the host would
// not forward it. Such members get the message directly too (receivers
// drop duplicates by msgId).
func (c *Client) recheckViaHost(groupID, msgKey string, body []byte) func(*tx) error {
	return func(t *tx) error {
		var m msgRec
		if ok, err := t.getJSON(bMsg, msgKey, &m); err != nil || !ok {
			return err
		}
		ms, err := t.members(groupID)
		if err != nil {
			return err
		}
		changed := false
		for _, mb := range ms {
			if m.Deliv[mb.ID.String()] != "via-host" || mb.Status != msConnected || mb.ConnID == "" {
				continue
			}
			m.Deliv[mb.ID.String()] = "pending"
			changed = true
			if err := c.post(t, mb.ConnID, body, &dlvRec{MsgKey: msgKey, Members: []string{mb.ID.String()}}); err != nil {
				return err
			}
		}
		if changed {
			c.putMsg(t, &m)
			t.recheck = c.recheckViaHost(groupID, msgKey, body)
		}
		return nil
	}
}

// RemoveMember removes a member (admins and owners, not above their role).
func (c *Client) RemoveMember(ctx context.Context, groupID, memberID string) error {
	id, err := proto.ParseBytes(memberID)
	if err != nil {
		return newErr(CodeBadRequest, "memberId")
	}
	return c.update(ctx, func(t *tx) error {
		g, m, err := t.activeMember(groupID, id, memberID)
		if err != nil {
			return err
		}
		if !g.MyRole.AtLeast(proto.RoleAdmin) || m.Role.Rank() > g.MyRole.Rank() {
			return newErr(CodeNotAllowed, "cannot remove a %s", m.Role)
		}
		if err := c.broadcast(t, g, &proto.GrpMemDel{MemberID: m.ID}, false); err != nil {
			return err
		}
		if m, err = t.member(g.ID, id); err != nil {
			return err
		}
		if m.ConnID != "" { // delete its connection once the removal has left
			if err := c.post(t, m.ConnID, encode(&proto.OK{}), &dlvRec{DeleteAfter: true}); err != nil {
				return err
			}
			t.del(bConn, m.ConnID)
			m.ConnID = ""
		}
		m.Status = msRemoved
		t.putMember(m)
		t.emitMember(m)
		return nil
	})
}

// LeaveGroup leaves a group.
func (c *Client) LeaveGroup(ctx context.Context, groupID string) error {
	return c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		if err := c.broadcast(t, g, &proto.GrpLeave{}, true); err != nil {
			return err
		}
		return c.endGroup(t, g, gsLeft)
	})
}

// DeleteGroup deletes a group for everyone (owner only).
func (c *Client) DeleteGroup(ctx context.Context, groupID string) error {
	return c.update(ctx, func(t *tx) error {
		g, err := t.group(groupID)
		if err != nil {
			return err
		}
		if g.Status == gsActive {
			if g.MyRole != proto.RoleOwner {
				return newErr(CodeNotAllowed, "only owners delete a group")
			}
			if err := c.broadcast(t, g, &proto.GrpDel{}, true); err != nil {
				return err
			}
		}
		return c.endGroup(t, g, gsDeleted)
	})
}

func chatRefOf(chat string) ChatRef {
	if strings.HasPrefix(chat, "c") {
		return ChatRef{ContactID: chat[1:]}
	}
	return ChatRef{GroupID: strings.TrimPrefix(chat, "g")}
}

// SetMemberRole changes a member's role (admins and owners, neither the
// member's current nor its new role above mine) and tells every member.
func (c *Client) SetMemberRole(ctx context.Context, groupID, memberID, role string) error {
	id, err := proto.ParseBytes(memberID)
	if err != nil {
		return newErr(CodeBadRequest, "memberId")
	}
	r := proto.Role(role)
	return c.update(ctx, func(t *tx) error {
		g, m, err := t.activeMember(groupID, id, memberID)
		if err != nil {
			return err
		}
		if !r.Known() || !g.MyRole.AtLeast(proto.RoleAdmin) || m.Role.Rank() > g.MyRole.Rank() || r.Rank() > g.MyRole.Rank() {
			return newErr(CodeNotAllowed, "cannot make a %s a %s", m.Role, role)
		}
		m.Role = r
		t.putMember(m)
		t.emitMember(m)
		return c.broadcast(t, g, &proto.GrpMemRole{MemberID: m.ID, Role: r}, false)
	})
}
