package chat

import (
	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// knownMember returns the member of info, creating it as announced.
func (c *Client) knownMember(t *tx, g *groupRec, by *memberRec, info proto.MemberInfo) (*memberRec, bool, error) {
	m, err := t.member(g.ID, info.MemberID)
	if err != nil || m != nil {
		return m, false, err
	}
	m = &memberRec{GroupID: g.ID, ID: info.MemberID, Role: info.MemberRole, Profile: info.Profile, V: info.V,
		Status: msAnnounced, IntroBy: by.ID}
	t.putMember(m)
	return m, true, nil
}

func (c *Client) recvMemNew(t *tx, g *groupRec, from *memberRec, info proto.MemberInfo) error {
	if info.MemberID.Equal(g.MyID) {
		return nil
	}
	m, created, err := c.knownMember(t, g, from, info)
	if err == nil && created {
		t.emitMember(m)
	}
	return err
}

// recvMemIntro (new member): make a group connection request for member A.
func (c *Client) recvMemIntro(t *tx, g *groupRec, host *memberRec, info proto.MemberInfo) error {
	if info.MemberID.Equal(g.MyID) {
		return nil
	}
	a, created, err := c.knownMember(t, g, host, info)
	if err != nil {
		return err
	}
	if !created && a.ConnID != "" {
		return nil // already introduced
	}
	a.IntroBy = host.ID
	t.emitMember(a)
	return c.introInv(t, g, host, a)
}

// recvMemInv (host): my invitee's invitation for member A; pass it on.
func (c *Client) recvMemInv(t *tx, g *groupRec, b *memberRec, p *proto.GrpMemInv, rec func(string, string) error) error {
	a, err := t.member(g.ID, p.MemberID)
	if err != nil {
		return err
	}
	if a == nil || !active(a) {
		return rec(CodeUnknownMember, "x.grp.mem.inv for an unknown member")
	}
	if _, err := t.Get(bIntro, g.ID+"/"+b.ID.String()+"/"+a.ID.String()); err != nil {
		return rec(CodeProhibited, "x.grp.mem.inv for a member I did not introduce")
	}
	intro := p.MemberIntro
	if intro.DirectConnReq != "" {
		n, err := t.activeCount(g.ID)
		if err != nil {
			return err
		}
		if !g.Profile.GroupPreferences.DirectConnectionsAllowed(n) {
			intro.DirectConnReq = "" // my rule does not allow it: strip
		}
	}
	return c.sendMember(t, a, encode(&proto.GrpMemFwd{MemberInfo: memberInfo(b), MemberIntro: intro}))
}

// recvMemFwd (existing member): join the new member's invitation.
func (c *Client) recvMemFwd(t *tx, g *groupRec, host *memberRec, p *proto.GrpMemFwd) error {
	if p.MemberInfo.MemberID.Equal(g.MyID) {
		return nil
	}
	b, created, err := c.knownMember(t, g, host, p.MemberInfo)
	if err != nil {
		return err
	}
	if b.ConnID != "" || !active(b) {
		return nil
	}
	b.IntroBy, b.Profile, b.Role = host.ID, p.MemberInfo.Profile, p.MemberInfo.MemberRole
	b.Status = msIntroduced
	mp, err := t.myProfile(g)
	if err != nil {
		return err
	}
	if p.MemberIntro.DirectConnReq != "" && b.ContactID == "" {
		ct := &contactRec{ID: newID(), Status: csConnecting, Profile: b.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: b.ID, Incognito: g.Incognito, ConnReq: p.MemberIntro.DirectConnReq}
		if err := c.joinContact(t, ct, mp); err != nil {
			return err
		}
		b.ContactID = ct.ID
	}
	t.putMember(b)
	if created {
		t.emitMember(b)
	}
	connID, err := c.join(t, p.MemberIntro.GroupConnReq, encode(&proto.GrpMemInfo{MemberID: g.MyID, Profile: mp}))
	if err != nil {
		c.record(t, errRec{Code: ErrorCode(err), Detail: err.Error(), GroupID: g.ID, MemberID: b.ID.String()})
		return nil
	}
	return c.memberConnected(t, g.ID, b.ID, connID)
}

// recvMemCon (host): from is now connected to member id; stop forwarding
// between them once both said so.
func (c *Client) recvMemCon(t *tx, g *groupRec, from *memberRec, id proto.Bytes) error {
	k1 := g.ID + "/" + from.ID.String() + "/" + id.String()
	k2 := g.ID + "/" + id.String() + "/" + from.ID.String()
	var r introRec
	ok, err := t.getJSON(bIntro, k1, &r)
	if err != nil || !ok {
		return err
	}
	if r.Con == nil {
		r.Con = map[string]bool{}
	}
	r.Con[from.ID.String()] = true
	if r.Con[id.String()] {
		t.Del(bIntro, k1)
		t.Del(bIntro, k2)
		return nil
	}
	t.put(bIntro, k1, r)
	t.put(bIntro, k2, r)
	return nil
}

func (c *Client) recvMemRole(t *tx, g *groupRec, from *memberRec, p *proto.GrpMemRole, rec func(string, string) error) (bool, error) {
	cur := g.MyRole
	var target *memberRec
	if !p.MemberID.Equal(g.MyID) {
		var err error
		if target, err = t.member(g.ID, p.MemberID); err != nil {
			return false, err
		}
		if target == nil {
			return false, rec(CodeUnknownMember, "x.grp.mem.role for an unknown member")
		}
		cur = target.Role
	}
	if !from.Role.AtLeast(proto.RoleAdmin) || cur.Rank() > from.Role.Rank() || p.Role.Rank() > from.Role.Rank() || !p.Role.Known() {
		return false, rec(CodeProhibited, "x.grp.mem.role above the sender's role")
	}
	if target == nil {
		g.MyRole = p.Role
		t.putGroup(g)
		t.emitGroup(g)
		return true, nil
	}
	target.Role = p.Role
	t.putMember(target)
	t.emitMember(target)
	return true, nil
}

func (c *Client) recvMemDel(t *tx, g *groupRec, from *memberRec, p *proto.GrpMemDel, rec func(string, string) error) (bool, error) {
	if p.MemberID.Equal(g.MyID) {
		if !from.Role.AtLeast(proto.RoleAdmin) || g.MyRole.Rank() > from.Role.Rank() {
			return false, rec(CodeProhibited, "x.grp.mem.del of me by a lower role")
		}
		return true, c.endGroup(t, g, gsRemoved)
	}
	target, err := t.member(g.ID, p.MemberID)
	if err != nil {
		return false, err
	}
	if target == nil {
		return false, rec(CodeUnknownMember, "x.grp.mem.del for an unknown member")
	}
	if !from.Role.AtLeast(proto.RoleAdmin) || target.Role.Rank() > from.Role.Rank() {
		return false, rec(CodeProhibited, "x.grp.mem.del of a higher role")
	}
	target.Status = msRemoved
	t.putMember(target)
	if err := c.dropMemberConn(t, target); err != nil {
		return false, err
	}
	t.emitMember(target)
	return true, nil
}

// dropMemberConn deletes the group connection of a member who left or was
// removed, with what was queued for it (its contact, if any, stays: it is
// unrelated to the group).
func (c *Client) dropMemberConn(t *tx, m *memberRec) error {
	if m.ConnID != "" {
		if err := c.dropConn(t, m.ConnID, false); err != nil {
			return err
		}
		m.ConnID = ""
		t.putMember(m)
	}
	kvs, err := t.List(bMQ, memberKey(m.GroupID, m.ID)+"/")
	for _, kv := range kvs {
		t.Del(bMQ, kv.Key)
	}
	return err
}

// dropConn forgets a connection and deletes it in the agent (with drain:
// after what is queued on it has left).
func (c *Client) dropConn(t *tx, connID string, drain bool) error {
	t.Del(bConn, connID)
	err := t.DeleteConnection(connID, drain)
	if agent.ErrorCode(err) == agent.CodeNotFound {
		return nil // gone already
	}
	return wrapErr(CodeAgent, err, "delete connection")
}

// memberConnected records the group connection of a member (pending until
// the agent says Connected) and sends what was queued for it.
func (c *Client) memberConnected(t *tx, groupID string, id proto.Bytes, connID string) error {
	m, err := t.member(groupID, id)
	if err != nil {
		return err
	}
	if m == nil || !active(m) {
		return c.dropConn(t, connID, false)
	}
	m.ConnID = connID
	if m.Status == msAnnounced {
		m.Status = msIntroduced
	}
	t.putMember(m)
	t.setRef(connID, connRef{Kind: refMember, GroupID: groupID, MemberID: id})
	return c.flushMQ(t, m)
}

// flushMQ sends the messages queued for a member that had no connection.
func (c *Client) flushMQ(t *tx, m *memberRec) error {
	kvs, err := t.List(bMQ, memberKey(m.GroupID, m.ID)+"/")
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if err := c.post(t, m.ConnID, kv.Value, agent.SendOptions{}); err != nil {
			return err
		}
		t.Del(bMQ, kv.Key)
	}
	return nil
}

// endGroup: I was removed or the group was deleted: drop every connection.
func (c *Client) endGroup(t *tx, g *groupRec, status string) error {
	g.Status = status
	t.putGroup(g)
	ms, err := t.members(g.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := c.dropMemberConn(t, m); err != nil {
			return err
		}
	}
	if g.LinkConnID != "" {
		if err := c.dropConn(t, g.LinkConnID, false); err != nil {
			return err
		}
		g.LinkConnID, g.Link = "", ""
		t.putGroup(g)
	}
	t.emitGroup(g)
	return nil
}
