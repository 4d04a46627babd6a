package chat

import (
	"context"
	"errors"
	"strings"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// SendGroupMessage sends text to every member: directly to the members
// connected with me, through their host to the others. It stores the
// message and one fan-out record whatever the group's size (the agent
// seals each member's copy after this call returns).
func (c *Client) SendGroupMessage(ctx context.Context, groupID, text string, opts ...SendOptions) (string, error) {
	o, err := oneOpt(opts)
	if err != nil {
		return "", err
	}
	var id string
	err = c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		if g.MyRole.Rank() < proto.RoleAuthor.Rank() {
			return newErr(CodeNotAllowed, "observers cannot send")
		}
		chat := groupChat(g.ID)
		if id, err = t.sentBefore(chat, o.SendID); err != nil || id != "" {
			return err
		}
		m := &msgRec{ID: newMsgID(), Chat: chat, Seq: c.nextSeq(t), Text: text, Sender: "me", Ts: c.now(), Status: StatusPending}
		p, err := c.compose(t, m, o, g)
		if err != nil {
			return err
		}
		to, err := c.recipients(t, m, g.ID)
		if err != nil {
			return err
		}
		m.Receipts = m.Total+1 <= c.cfg.ReceiptsMaxMembers
		body := encodeAs(p, m.SharedID)
		if err := c.sendMembers(t, to, body, agent.SendOptions{Tag: msgKey(m), NoReceipt: !m.Receipts}); err != nil {
			return err
		}
		c.putMsg(t, m)
		t.markSent(chat, o.SendID, m.ID)
		t.emit(MessageEvent{Chat: ChatRef{GroupID: g.ID}, Message: msgView(m)})
		id = m.ID
		return nil
	})
	return id, err
}

// recipients picks who gets my group message m directly (their connection
// is up, or an invitee of mine whose connection is being made: the agent
// holds the message until it is up, as SimpleX keeps it pending) and
// counts in m the members their host forwards it to.
func (c *Client) recipients(t *tx, m *msgRec, groupID string) ([]*memberRec, error) {
	direct := map[string]bool{}
	var to, others []*memberRec
	err := t.eachMember(groupID, func(mb *memberRec) {
		switch {
		case mb.Status == msConnected || mb.Status == msAccepted && mb.ConnID != "":
			direct[string(mb.ID)] = true
			to = append(to, mb)
		case active(mb) && mb.Status != msInvited && len(mb.IntroBy) > 0:
			others = append(others, mb)
		}
	})
	for _, mb := range others {
		if direct[string(mb.IntroBy)] { // else no way to reach it yet
			if m.Via == nil {
				m.Via = map[string]int{}
			}
			m.Via[mb.IntroBy.String()]++
		}
	}
	m.Total = len(to)
	for _, n := range m.Via {
		m.Total += n
	}
	return to, err
}

// sentBefore returns the message already sent with sendID in chat ("" if
// none, or no sendID).
func (t *tx) sentBefore(chat, sendID string) (string, error) {
	if sendID == "" {
		return "", nil
	}
	b, err := t.Get(bSendID, chat+"/"+sendID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return string(b), err
}

// markSent remembers that sendID in chat is message id.
func (t *tx) markSent(chat, sendID, id string) {
	if sendID != "" {
		t.Put(bSendID, chat+"/"+sendID, []byte(id))
	}
}

// oneOpt returns the options of a call taking at most one.
func oneOpt(opts []SendOptions) (SendOptions, error) {
	switch len(opts) {
	case 0:
		return SendOptions{}, nil
	case 1:
		if len(opts[0].SendID) > 128 {
			return SendOptions{}, newErr(CodeBadRequest, "sendId longer than 128 characters")
		}
		if len(opts[0].Mentions) > 64 {
			return SendOptions{}, newErr(CodeBadRequest, "more than 64 mentions")
		}
		return opts[0], nil
	}
	return SendOptions{}, newErr(CodeBadRequest, "one options argument at most")
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
			if err := c.dropConn(t, m.ConnID, true); err != nil {
				return err
			}
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
