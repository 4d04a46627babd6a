package chat

import (
	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// recvDirectInv (receiver R of a member contact invitation from S).
func (c *Client) recvDirectInv(t *tx, g *groupRec, s *memberRec, p *proto.GrpDirectInv, rec func(string, string) error) error {
	if s.Role.Rank() <= proto.RoleObserver.Rank() {
		return rec(CodeProhibited, "x.grp.direct.inv from an observer")
	}
	if !g.Profile.GroupPreferences.DirectMessagesAllowed(s.Role) {
		return rec(CodeDirectMessagesOff, "the group does not allow direct messages for "+string(s.Role))
	}
	var ct *contactRec
	if s.ContactID != "" {
		old, err := t.contact(s.ContactID)
		if err != nil && ErrorCode(err) != CodeNotFound {
			return err
		}
		ct = old
	}
	// Mine and pending, or mine and already being joined (the peer's join
	// of my invitation can overtake its own x.grp.direct.inv: they travel
	// on different connections).
	simultaneous := ct != nil && ct.Mine && (ct.Status == csPending || ct.Status == csConnecting)
	if ct == nil {
		ct = &contactRec{ID: newID(), Profile: s.Profile, MyProfile: g.MyProfile, GroupID: g.ID, MemberID: s.ID, Incognito: g.Incognito}
		s.ContactID = ct.ID
		t.putMember(s)
	}
	if p.Content != nil {
		in := incoming{chat: contactChat(ct.ID), ref: ChatRef{ContactID: ct.ID}, sender: ct.ID, ts: c.now()}
		t.putContact(ct) // countUnread reads it
		if err := c.receiveNew(t, in, &proto.MsgNew{Content: *p.Content}); err != nil {
			return err
		}
		fresh, err := t.contact(ct.ID)
		if err != nil {
			return err
		}
		ct = fresh
	}
	if simultaneous && p.ConnReq < ct.ConnReq {
		t.putContact(ct)
		return nil // simultaneous invitations: S received the greater one and joins mine
	}
	if err := c.dropContactConn(t, ct); err != nil { // mine (the smaller), or a stale contact: replaced
		return err
	}
	ct.ConnReq, ct.Status, ct.Mine = p.ConnReq, csRequest, false
	ct.Profile = s.Profile
	t.putContact(ct)
	if c.cfg.AutoAcceptMemberContacts || simultaneous {
		return c.acceptContact(t, ct)
	}
	t.emit(ContactEvent{Contact: contactView(ct)})
	return nil
}

// acceptContact joins a member's invitation with the profile I use in the group.
func (c *Client) acceptContact(t *tx, ct *contactRec) error {
	p, err := c.contactProfile(t, ct)
	if err != nil {
		return err
	}
	return c.joinContact(t, ct, p)
}

// joinContact joins ct.ConnReq showing profile p.
func (c *Client) joinContact(t *tx, ct *contactRec, p proto.Profile) error {
	connID, err := c.join(t, ct.ConnReq, encode(&proto.Info{Profile: p}))
	if err != nil {
		if t.handler && ErrorCode(err) == CodeBadLink {
			c.record(t, errRec{Code: CodeBadLink, Detail: err.Error(), ContactID: ct.ID})
			return nil
		}
		return err
	}
	ct.ConnID, ct.Status = connID, csConnecting
	t.putContact(ct)
	t.setRef(connID, connRef{Kind: refContact, ContactID: ct.ID})
	t.emit(ContactEvent{Contact: contactView(ct)})
	return nil
}

func (c *Client) contactProfile(t *tx, ct *contactRec) (proto.Profile, error) {
	if ct.MyProfile != nil {
		return *ct.MyProfile, nil
	}
	return t.userProfile()
}

func (c *Client) dropContactConn(t *tx, ct *contactRec) error {
	if ct.ConnID == "" {
		return nil
	}
	id := ct.ConnID
	ct.ConnID = ""
	return c.dropConn(t, id, false)
}

// join joins a link in this transaction.
func (c *Client) join(t *tx, link string, info []byte) (string, error) {
	connID, err := t.Join(link, info)
	if agent.ErrorCode(err) == agent.CodeBadLink {
		return "", &Error{Code: CodeBadLink, Detail: "join", Err: err}
	}
	return connID, wrapErr(CodeAgent, err, "join")
}

func (c *Client) onContactEvent(t *tx, r *connRef, ev agent.Event) error {
	ct, err := t.contact(r.ContactID)
	if err != nil {
		return ignoreNotFound(err)
	}
	switch e := ev.(type) {
	case agent.Confirmation:
		if info, ok := paramsOf(decodeInfo(e.ConnInfo)).(*proto.Info); ok {
			ct.Profile = info.Profile
		}
		p, err := c.contactProfile(t, ct)
		if err != nil {
			return err
		}
		ct.Status = csConnecting
		t.putContact(ct)
		if err := t.Allow(e.ConnID, e.ConfID, encode(&proto.Info{Profile: p})); err != nil {
			c.record(t, errRec{Code: CodeAgent, Detail: "allow: " + err.Error(), ContactID: ct.ID})
		}
	case agent.Connected:
		if info, ok := paramsOf(decodeInfo(e.ConnInfo)).(*proto.Info); ok {
			ct.Profile = info.Profile
		}
		if ct.Status == csConnected {
			return nil
		}
		ct.Status = csConnected
		t.putContact(ct)
		t.emit(ContactEvent{Contact: contactView(ct)})
		return c.flushContact(t, ct)
	case agent.Message:
		return c.onContactMessage(t, ct, e.Body)
	}
	return nil
}

// flushContact sends, in order, what I wrote while the contact was pending.
func (c *Client) flushContact(t *tx, ct *contactRec) error {
	ms, err := listJSON[msgRec](t, bMsg, contactChat(ct.ID)+"/")
	if err != nil {
		return err
	}
	for i := range ms {
		m := &ms[i]
		if m.Status != StatusPending || len(m.Body) == 0 {
			continue
		}
		body := m.Body
		m.Body = nil
		c.putMsg(t, m)
		if err := c.post(t, ct.ConnID, body, agent.SendOptions{Tag: msgKey(m)}); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) onContactMessage(t *tx, ct *contactRec, body []byte) error {
	msgs, err := proto.Decode(body)
	if err != nil {
		c.record(t, errRec{Code: CodeBadMessage, Detail: err.Error(), ContactID: ct.ID})
		return nil
	}
	for _, msg := range msgs {
		in := incoming{chat: contactChat(ct.ID), ref: ChatRef{ContactID: ct.ID}, sender: ct.ID, sid: msg.MsgID, ts: c.now()}
		switch p := msg.Params.(type) {
		case *proto.MsgNew:
			if err := c.receiveNew(t, in, p); err != nil {
				return err
			}
		case *proto.MsgUpdate, *proto.MsgDel, *proto.MsgReact, *proto.MsgFileDescr:
			if _, err := c.changeFrom(t, in, nil, p); err != nil {
				return err
			}
		case *proto.Info:
			ct.Profile = p.Profile
			t.putContact(ct)
			t.emit(ContactEvent{Contact: contactView(ct)})
		case *proto.GrpInv:
			if err := c.recvGroupInv(t, ct, p.GroupInvitation); err != nil {
				return err
			}
		case *proto.OK, *proto.InfoProbe, *proto.InfoProbeCheck, *proto.InfoProbeOK:
		default:
			c.record(t, errRec{Code: CodeUnknownEvent, Detail: msg.Event() + " on a contact connection", ContactID: ct.ID})
		}
	}
	return nil
}

// recvGroupInv: a contact invites me into a group (x.grp.inv).
func (c *Client) recvGroupInv(t *tx, ct *contactRec, inv proto.GroupInvitation) error {
	if !inv.FromMember.MemberRole.AtLeast(proto.RoleAdmin) {
		c.record(t, errRec{Code: CodeProhibited, Detail: "x.grp.inv from a non-admin", ContactID: ct.ID})
		return nil
	}
	g := &groupRec{ID: newID(), Profile: inv.GroupProfile, Status: gsInvited, MyID: inv.InvitedMember.MemberID,
		MyRole: inv.InvitedMember.MemberRole, HostID: inv.FromMember.MemberID, Inv: &inv, InvContact: ct.ID, Created: c.now()}
	if inv.GroupSize != nil {
		g.Size = *inv.GroupSize
	}
	t.putGroup(g)
	t.emitGroup(g)
	return nil
}

// onLinkRequest (host): someone follows my group link.
func (c *Client) onLinkRequest(t *tx, r *connRef, ev agent.Request) error {
	g, err := t.group(r.GroupID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if g.Status != gsActive || !g.MyRole.AtLeast(proto.RoleAdmin) {
		c.record(t, errRec{Code: CodeNotAllowed, Detail: "group link request while not an active admin", GroupID: g.ID})
		return nil
	}
	var prof proto.Profile
	switch p := paramsOf(decodeInfo(ev.ConnInfo)).(type) {
	case *proto.Contact:
		prof = p.Profile
	case *proto.Info:
		prof = p.Profile
	default:
		c.record(t, errRec{Code: CodeBadMessage, Detail: "group link request without a profile", GroupID: g.ID})
		return nil
	}
	b := &memberRec{GroupID: g.ID, ID: newMemberID(), Role: proto.RoleMember, Profile: prof, V: proto.Current,
		Status: msAccepted, Invitee: true, ViaLink: true}
	t.putMember(b)
	n, err := t.activeCount(g.ID)
	if err != nil {
		return err
	}
	mp, err := t.myProfile(g)
	if err != nil {
		return err
	}
	inv := &proto.GrpLinkInv{GroupLinkInvitation: proto.GroupLinkInvitation{
		FromMember: proto.MemberIDRole{MemberID: g.MyID, MemberRole: g.MyRole}, FromMemberName: mp.DisplayName,
		InvitedMember: proto.MemberIDRole{MemberID: b.ID, MemberRole: b.Role}, GroupProfile: g.Profile, GroupSize: &n}}
	connID, err := t.AcceptRequest(ev.ConnID, ev.ReqID, encode(inv))
	if err != nil {
		if agent.ErrorCode(err) == agent.CodeNotFound || agent.ErrorCode(err) == agent.CodeBadLink {
			c.record(t, errRec{Code: CodeAgent, Detail: "accept request: " + err.Error(), GroupID: g.ID})
			return nil
		}
		return err // no queue at hand yet: the attempt runs again
	}
	t.emitMember(b)
	return c.memberConnected(t, g.ID, b.ID, connID)
}
