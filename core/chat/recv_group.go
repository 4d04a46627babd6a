package chat

import (
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// fwdInfo is how a forwarded message came: the host that forwarded it and
// the forward's msgTs (when the author sent it).
type fwdInfo struct {
	by *memberRec
	ts time.Time
}

// onGroupMsg handles one message of member from in g; fwd is set when a
// host forwarded it (x.grp.msg.forward).
func (c *Client) onGroupMsg(t *tx, g *groupRec, from *memberRec, msg *proto.Message, fwd *fwdInfo) error {
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
	handled, err := c.onGroupEvent(t, g, from, msg, fwd, rec)
	if err != nil || !handled {
		return err
	}
	if fwd == nil && proto.Forwardable(msg.Event()) {
		return c.forward(t, g, from, msg)
	}
	return nil
}

// onGroupEvent applies one event; handled is false when it was refused.
func (c *Client) onGroupEvent(t *tx, g *groupRec, from *memberRec, msg *proto.Message, fwd *fwdInfo,
	rec func(code, detail string) error) (handled bool, err error) {
	admin := from.Role.AtLeast(proto.RoleAdmin)
	var fwdBy *memberRec
	if fwd != nil {
		fwdBy = fwd.by
	}
	switch p := msg.Params.(type) {
	case *proto.MsgNew:
		return c.recvGroupMsgNew(t, g, from, msg, p, fwd)
	case *proto.MsgUpdate, *proto.MsgDel, *proto.MsgReact:
		return c.recvGroupChange(t, g, from, msg)
	case *proto.MsgFileDescr:
		if fwd != nil {
			return false, rec(CodeProhibited, "a file description forwarded")
		}
		return c.recvGroupChange(t, g, from, msg)
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
	info := &fwdInfo{by: fwd, ts: p.MsgTs}
	if author == nil {
		if n, ok := p.Msg.Params.(*proto.MsgNew); ok && c.isHistory(g, info) {
			// history from an author who left, or is not introduced yet
			return c.receiveNew(t, incoming{chat: groupChat(g.ID), ref: ChatRef{GroupID: g.ID}, sender: p.MemberID.String(),
				senderName: p.MemberName, sid: p.Msg.MsgID, ts: p.MsgTs.UTC(), history: true, g: g}, n)
		}
		return rec(CodeUnknownMember, "forwarded from an unknown member")
	}
	return c.onGroupMsg(t, g, author, p.Msg, info)
}

// isHistory: a forwarded message sent before I joined is the group's
// history (the host sends recent messages to a member joining by link).
func (c *Client) isHistory(g *groupRec, fwd *fwdInfo) bool {
	return fwd != nil && !fwd.ts.IsZero() && fwd.ts.Before(g.Created)
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

func (c *Client) recvGroupMsgNew(t *tx, g *groupRec, from *memberRec, msg *proto.Message, p *proto.MsgNew, fwd *fwdInfo) (bool, error) {
	if from.Role.Rank() < proto.RoleAuthor.Rank() {
		c.record(t, errRec{Code: CodeProhibited, Detail: "x.msg.new from an observer", GroupID: g.ID, MemberID: from.ID.String()})
		return false, nil
	}
	if p.File != nil && !g.Profile.GroupPreferences.On("files") {
		c.record(t, errRec{Code: CodeProhibited, Detail: "a file where the group turned files off", GroupID: g.ID, MemberID: from.ID.String()})
		return false, nil
	}
	if seen, err := c.seenBefore(t, g, from, msg); err != nil || seen {
		return false, err
	}
	in := incoming{chat: groupChat(g.ID), ref: ChatRef{GroupID: g.ID}, sender: from.ID.String(), sid: msg.MsgID, ts: c.now(), g: g}
	if c.isHistory(g, fwd) {
		in.ts, in.history = fwd.ts.UTC(), true
	}
	return true, c.receiveNew(t, in, p)
}

// seenBefore: the author's message msg came already (directly and
// forwarded); else it is recorded as seen.
func (c *Client) seenBefore(t *tx, g *groupRec, from *memberRec, msg *proto.Message) (bool, error) {
	if len(msg.MsgID) == 0 {
		return false, nil
	}
	k := g.ID + "/" + from.ID.String() + "/" + msg.MsgID.String()
	if _, err := t.Get(bSeen, k); err == nil {
		return true, nil
	} else if ignoreStoreNotFound(err) != nil {
		return false, err
	}
	t.Put(bSeen, k, nil)
	return false, nil
}

// recvGroupChange: an edit, delete or reaction of a member.
func (c *Client) recvGroupChange(t *tx, g *groupRec, from *memberRec, msg *proto.Message) (bool, error) {
	if from.Role.Rank() < proto.RoleAuthor.Rank() {
		c.record(t, errRec{Code: CodeProhibited, Detail: msg.Event() + " from an observer", GroupID: g.ID, MemberID: from.ID.String()})
		return false, nil
	}
	if seen, err := c.seenBefore(t, g, from, msg); err != nil || seen {
		return false, err
	}
	in := incoming{chat: groupChat(g.ID), ref: ChatRef{GroupID: g.ID}, sender: from.ID.String(), g: g}
	return c.changeFrom(t, in, from, msg.Params)
}
