package chat

import (
	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// onGroupMsg handles one message of member from in g; fwdBy is the host
// that forwarded it (x.grp.msg.forward), nil when it came directly.
func (c *Client) onGroupMsg(t *tx, g *groupRec, from *memberRec, msg *proto.Message, fwdBy *memberRec) error {
	rec := func(code, detail string) error {
		c.record(t, errRec{Code: code, Detail: msg.Event() + ": " + detail, GroupID: g.ID, MemberID: from.ID.String()})
		return nil
	}
	if g.Status != gsActive && g.Status != gsJoining {
		return rec(CodeNotAllowed, "group is "+g.Status)
	}
	if !active(from) {
		return rec(CodeUnknownMember, "member "+from.Status)
	}
	if _, unknown := msg.Params.(*proto.Unknown); unknown {
		return rec(CodeUnknownEvent, "unknown event")
	}
	handled, err := c.onGroupEvent(t, g, from, msg, fwdBy, rec)
	if err != nil || !handled {
		return err
	}
	if fwdBy == nil && proto.Forwardable(msg.Event()) {
		return c.forward(t, g, from, msg)
	}
	return nil
}

// onGroupEvent applies one event; handled is false when it was refused.
func (c *Client) onGroupEvent(t *tx, g *groupRec, from *memberRec, msg *proto.Message, fwdBy *memberRec,
	rec func(code, detail string) error) (handled bool, err error) {
	admin := from.Role.AtLeast(proto.RoleAdmin)
	switch p := msg.Params.(type) {
	case *proto.MsgNew:
		return c.recvGroupMsgNew(t, g, from, msg, p)
	case *proto.GrpMsgForward:
		return false, c.recvForward(t, g, from, p, rec)
	case *proto.GrpMemNew:
		if !admin || p.MemberInfo.MemberRole.Rank() > from.Role.Rank() {
			return false, rec(CodeProhibited, "x.grp.mem.new from a non-admin or for a higher role")
		}
		return true, c.recvMemNew(t, g, from, p.MemberInfo)
	case *proto.GrpMemIntro:
		if fwdBy != nil || !from.ID.Equal(g.HostID) || !admin {
			return false, rec(CodeProhibited, "x.grp.mem.intro not from my admin host")
		}
		if v := p.MemberInfo.V; v.IsZero() || v.Max < 2 {
			return false, rec(CodeProhibited, "x.grp.mem.intro of a version-1 member")
		}
		return true, c.recvMemIntro(t, g, from, p.MemberInfo)
	case *proto.GrpMemInv:
		if fwdBy != nil || !from.Invitee {
			return false, rec(CodeProhibited, "x.grp.mem.inv not from my invitee")
		}
		return true, c.recvMemInv(t, g, from, p, rec)
	case *proto.GrpMemFwd:
		if fwdBy != nil || !admin || p.MemberInfo.MemberRole.Rank() > from.Role.Rank() {
			return false, rec(CodeProhibited, "x.grp.mem.fwd from a non-admin or for a higher role")
		}
		return true, c.recvMemFwd(t, g, from, p)
	case *proto.GrpMemCon:
		return true, c.recvMemCon(t, g, from, p.MemberID)
	case *proto.GrpMemRole:
		return c.recvMemRole(t, g, from, p, rec)
	case *proto.GrpMemDel:
		return c.recvMemDel(t, g, from, p, rec)
	case *proto.GrpLeave:
		from.Status = msLeft
		t.putMember(from)
		if err := c.dropMemberConn(t, from); err != nil {
			return false, err
		}
		t.emitMember(from)
		return true, nil
	case *proto.GrpDel:
		if from.Role != proto.RoleOwner {
			return false, rec(CodeProhibited, "x.grp.del from a non-owner")
		}
		return true, c.endGroup(t, g, gsDeleted)
	case *proto.GrpInfo:
		if from.Role != proto.RoleOwner {
			return false, rec(CodeProhibited, "x.grp.info from a non-owner")
		}
		g.Profile = p.GroupProfile
		t.putGroup(g)
		t.emitGroup(g)
		return true, nil
	case *proto.GrpDirectInv:
		if fwdBy != nil {
			return false, rec(CodeProhibited, "x.grp.direct.inv forwarded")
		}
		return true, c.recvDirectInv(t, g, from, p, rec)
	case *proto.Info:
		from.Profile = p.Profile
		t.putMember(from)
		t.emitMember(from)
		return true, nil
	case *proto.GrpLinkMem:
		if from.ID.Equal(g.HostID) {
			from.Profile = p.Profile
			t.putMember(from)
			t.emitMember(from)
		}
		return true, nil
	}
	return true, nil // x.ok, probes: nothing to do
}

// recvForward: my host forwards a message of a member I am not connected to yet.
func (c *Client) recvForward(t *tx, g *groupRec, fwd *memberRec, p *proto.GrpMsgForward, rec func(string, string) error) error {
	if !fwd.Role.AtLeast(proto.RoleAdmin) {
		return rec(CodeProhibited, "x.grp.msg.forward from a non-admin")
	}
	if !proto.Forwardable(p.Msg.Event()) {
		return rec(CodeProhibited, "forwarded "+p.Msg.Event())
	}
	if p.MemberID.Equal(g.MyID) {
		return nil
	}
	author, err := t.member(g.ID, p.MemberID)
	if err != nil {
		return err
	}
	if author == nil {
		return rec(CodeUnknownMember, "forwarded from an unknown member")
	}
	return c.onGroupMsg(t, g, author, p.Msg, fwd)
}

// forward (host): pass a member's message to the members it is not yet
// connected with.
func (c *Client) forward(t *tx, g *groupRec, from *memberRec, msg *proto.Message) error {
	kvs, err := t.List(bIntro, g.ID+"/"+from.ID.String()+"/")
	if err != nil || len(kvs) == 0 {
		return err
	}
	body := encode(&proto.GrpMsgForward{MemberID: from.ID, MemberName: from.Profile.DisplayName, Msg: msg, MsgTs: c.now()})
	var to []*memberRec
	for _, kv := range kvs {
		id, err := proto.ParseBytes(kv.Key[len(g.ID)+len(from.ID.String())+2:])
		if err != nil {
			continue
		}
		m, err := t.member(g.ID, id)
		if err != nil {
			return err
		}
		if m != nil && active(m) {
			to = append(to, m)
		}
	}
	return c.sendMembers(t, to, body, agent.SendOptions{})
}

func (c *Client) recvGroupMsgNew(t *tx, g *groupRec, from *memberRec, msg *proto.Message, p *proto.MsgNew) (bool, error) {
	if from.Role.Rank() < proto.RoleAuthor.Rank() {
		c.record(t, errRec{Code: CodeProhibited, Detail: "x.msg.new from an observer", GroupID: g.ID, MemberID: from.ID.String()})
		return false, nil
	}
	if len(msg.MsgID) > 0 {
		k := g.ID + "/" + from.ID.String() + "/" + msg.MsgID.String()
		if _, err := t.Get(bSeen, k); err == nil {
			return false, nil // already have it (directly and forwarded)
		}
		t.Put(bSeen, k, nil)
	}
	c.storeIncoming(t, groupChat(g.ID), ChatRef{GroupID: g.ID}, from.ID.String(), p.Content.Text)
	return true, nil
}

func (c *Client) storeIncoming(t *tx, chat string, ref ChatRef, sender, text string) {
	m := &msgRec{ID: newMsgID(), Chat: chat, Seq: c.nextSeq(t), Text: text, Sender: sender, Ts: c.now(), Status: StatusReceived}
	c.putMsg(t, m)
	t.emit(MessageEvent{Chat: ref, Message: msgView(m)})
}
