package chat

import (
	"context"
	"encoding/json"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// features are the on/off group features the API sets, by their names
// (which are also the preference keys).
var features = []string{"reactions", "timedMessages", "fullDelete", "history", "files"}

func (f Features) get(name string) string {
	return map[string]string{"reactions": f.Reactions, "timedMessages": f.TimedMessages,
		"fullDelete": f.FullDelete, "history": f.History, "files": f.Files}[name]
}

// applyPrefs sets on p what a call names ("" leaves a value as it is).
func applyPrefs(p *proto.GroupPreferences, dm, role string, direct *bool, directMax int, f Features) error {
	onOff := func(name, v string) error {
		switch v {
		case "":
		case proto.On, proto.Off:
			p.Set(name, v == proto.On)
		default:
			return newErr(CodeBadRequest, "%s must be on or off", name)
		}
		return nil
	}
	if err := onOff("directMessages", dm); err != nil {
		return err
	}
	if role != "" {
		if !proto.Role(role).Known() {
			return newErr(CodeBadRequest, "unknown role %q", role)
		}
		if p.DirectMessages == nil {
			p.DirectMessages = &proto.RolePreference{Enable: proto.Off}
		}
		p.DirectMessages.Role = proto.Role(role)
	}
	if direct != nil {
		p.DirectConnections = nil
		if *direct {
			p.DirectConnections = &proto.DirectConnPreference{Enable: proto.On, MaxMembers: directMax}
		}
	}
	for _, name := range features {
		if err := onOff(name, f.get(name)); err != nil {
			return err
		}
	}
	return nil
}

// CreateGroup creates a group with me as its owner.
func (c *Client) CreateGroup(ctx context.Context, s GroupSettings) (string, error) {
	if s.DisplayName == "" {
		return "", newErr(CodeBadRequest, "displayName is required")
	}
	prefs := &proto.GroupPreferences{DirectMessages: &proto.RolePreference{Enable: proto.Off}}
	direct := s.DirectConnections
	if err := applyPrefs(prefs, s.DirectMessages, s.DirectMessagesRole, &direct, s.DirectConnectionsMax, s.Features); err != nil {
		return "", err
	}
	g := &groupRec{ID: newID(), Profile: proto.GroupProfile{DisplayName: s.DisplayName, FullName: s.FullName, GroupPreferences: prefs},
		Status: gsActive, MyID: newMemberID(), MyRole: proto.RoleOwner, Created: c.now()}
	err := c.update(ctx, func(t *tx) error {
		t.putGroup(g)
		t.emitGroup(g)
		return nil
	})
	return g.ID, err
}

// Groups lists the groups.
func (c *Client) Groups(ctx context.Context) ([]Group, error) {
	var out []Group
	err := c.view(ctx, func(t *tx) error {
		gs, err := listJSON[groupRec](t, bGroup, "")
		for i := range gs {
			n, err := t.activeCount(gs[i].ID)
			if err != nil {
				return err
			}
			out = append(out, groupView(&gs[i], n))
		}
		return err
	})
	return out, err
}

// Members lists the other members of a group.
func (c *Client) Members(ctx context.Context, groupID string) ([]Member, error) {
	var out []Member
	err := c.view(ctx, func(t *tx) error {
		if _, err := t.group(groupID); err != nil {
			return err
		}
		ms, err := t.members(groupID)
		for _, m := range ms {
			out = append(out, memberView(m))
		}
		return err
	})
	return out, err
}

func (t *tx) activeGroup(id string) (*groupRec, error) {
	g, err := t.group(id)
	if err != nil {
		return nil, err
	}
	if g.Status != gsActive {
		return nil, newErr(CodeNotAllowed, "group is %s", g.Status)
	}
	return g, nil
}

// activeMember returns the active group groupID and its member id, which
// must be active too (CodeNotFound naming memberID when it is not).
func (t *tx) activeMember(groupID string, id proto.Bytes, memberID string) (*groupRec, *memberRec, error) {
	g, err := t.activeGroup(groupID)
	if err != nil {
		return nil, nil, err
	}
	m, err := t.member(g.ID, id)
	if err != nil {
		return nil, nil, err
	}
	if m == nil || !active(m) {
		return nil, nil, newErr(CodeNotFound, "member %s", memberID)
	}
	return g, m, nil
}

// CreateGroupLink makes (or returns) the group's link; admins and owners only.
func (c *Client) CreateGroupLink(ctx context.Context, groupID string) (string, error) {
	var link string
	err := c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		if !g.MyRole.AtLeast(proto.RoleAdmin) {
			return newErr(CodeNotAllowed, "only admins make group links")
		}
		if g.Link != "" {
			link = g.Link
			return nil
		}
		connID, l, err := t.CreateAddress()
		if err != nil {
			return wrapErr(CodeAgent, err, "create address")
		}
		g.LinkConnID, g.Link, link = connID, l, l
		t.putGroup(g)
		t.setRef(connID, connRef{Kind: refGLink, GroupID: g.ID})
		return nil
	})
	return link, err
}

// JoinGroup follows a group link.
func (c *Client) JoinGroup(ctx context.Context, link string, o JoinOptions) (string, error) {
	g := &groupRec{ID: newID(), Status: gsJoining, Incognito: o.Incognito, Created: c.now()}
	if o.Incognito {
		g.MyProfile = incognitoProfile()
	}
	err := c.update(ctx, func(t *tx) error {
		p, err := t.myProfile(g)
		if err != nil {
			return err
		}
		connID, err := c.join(t, link, encode(&proto.Contact{Profile: p}))
		if err != nil {
			return err
		}
		host := &memberRec{GroupID: g.ID, ID: newMemberID(), Role: proto.RoleAdmin, Status: msIntroduced, ConnID: connID}
		t.putMember(host)
		t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: host.ID})
		t.putGroup(g)
		t.emitGroup(g)
		return nil
	})
	return g.ID, err
}

// InviteToGroup invites a connected contact as a member of the given role.
func (c *Client) InviteToGroup(ctx context.Context, groupID, contactID, role string) error {
	if role == "" {
		role = string(proto.RoleMember)
	}
	r := proto.Role(role)
	return c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		ct, err := t.contact(contactID)
		if err != nil {
			return err
		}
		switch {
		case !g.MyRole.AtLeast(proto.RoleAdmin) || !r.Known() || r.Rank() > g.MyRole.Rank():
			return newErr(CodeNotAllowed, "cannot invite as %s", role)
		case g.Incognito:
			return newErr(CodeNotAllowed, "cannot invite contacts while incognito in the group")
		case ct.Status != csConnected:
			return newErr(CodeNotConnected, "contact is %s", ct.Status)
		}
		connID, link, err := t.CreateInvitation()
		if err != nil {
			return wrapErr(CodeAgent, err, "create invitation")
		}
		m := &memberRec{GroupID: g.ID, ID: newMemberID(), Role: r, Profile: ct.Profile, V: proto.Current,
			Status: msInvited, ConnID: connID, Invitee: true}
		t.putMember(m)
		t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: m.ID})
		n, err := t.activeCount(g.ID)
		if err != nil {
			return err
		}
		inv := &proto.GrpInv{GroupInvitation: proto.GroupInvitation{
			FromMember: proto.MemberIDRole{MemberID: g.MyID, MemberRole: g.MyRole}, InvitedMember: proto.MemberIDRole{MemberID: m.ID, MemberRole: r},
			ConnRequest: link, GroupProfile: g.Profile, GroupSize: &n}}
		if err := c.post(t, ct.ConnID, encode(inv), agent.SendOptions{}); err != nil {
			return err
		}
		t.emitMember(m)
		return nil
	})
}

// AcceptGroupInvitation joins a group I was invited to.
func (c *Client) AcceptGroupInvitation(ctx context.Context, groupID string, o JoinOptions) error {
	return c.update(ctx, func(t *tx) error {
		g, err := t.group(groupID)
		if err != nil {
			return err
		}
		if g.Status != gsInvited || g.Inv == nil {
			return newErr(CodeNotAllowed, "no pending invitation (group is %s)", g.Status)
		}
		acpt := &proto.GrpAcpt{MemberID: g.MyID}
		if o.Incognito {
			g.Incognito, g.MyProfile = true, incognitoProfile()
			acpt.Profile = g.MyProfile
		}
		connID, err := c.join(t, g.Inv.ConnRequest, encode(acpt))
		if err != nil {
			return err
		}
		var hostProfile proto.Profile
		if ct, err := t.contact(g.InvContact); err == nil {
			hostProfile = ct.Profile
		}
		host := &memberRec{GroupID: g.ID, ID: g.HostID, Role: g.Inv.FromMember.MemberRole, Profile: hostProfile,
			V: proto.Current, Status: msIntroduced, ConnID: connID}
		t.putMember(host)
		t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: host.ID})
		g.Status, g.Inv = gsJoining, nil
		t.putGroup(g)
		t.emitGroup(g)
		return nil
	})
}

// SetGroupPreferences changes the preferences named in p (owners only;
// the others stay) and sends x.grp.info to every member.
func (c *Client) SetGroupPreferences(ctx context.Context, groupID string, p Preferences) error {
	return c.update(ctx, func(t *tx) error {
		g, err := t.activeGroup(groupID)
		if err != nil {
			return err
		}
		if g.MyRole != proto.RoleOwner {
			return newErr(CodeNotAllowed, "only owners change preferences")
		}
		prefs := &proto.GroupPreferences{}
		if old := g.Profile.GroupPreferences; old != nil {
			b, _ := json.Marshal(old) // a copy: the record is written only on success
			_ = json.Unmarshal(b, prefs)
		}
		if err := applyPrefs(prefs, p.DirectMessages, p.Role, p.DirectConnections, p.DirectConnectionsMax, p.Features); err != nil {
			return err
		}
		g.Profile.GroupPreferences = prefs
		t.putGroup(g)
		t.emitGroup(g)
		return c.broadcast(t, g, &proto.GrpInfo{GroupProfile: g.Profile}, false)
	})
}

// broadcast sends one event to every active member (one fan-out record);
// with deleteAfter (I leave), each group connection is deleted once the
// event has left on it.
func (c *Client) broadcast(t *tx, g *groupRec, p proto.Params, deleteAfter bool) error {
	ms, err := t.members(g.ID)
	if err != nil {
		return err
	}
	var to []*memberRec
	for _, m := range ms {
		if active(m) && m.Status != msInvited {
			to = append(to, m)
		}
	}
	if err := c.sendMembers(t, to, encode(p), agent.SendOptions{}); err != nil {
		return err
	}
	if !deleteAfter {
		return nil
	}
	for _, m := range to {
		if m.ConnID == "" {
			continue
		}
		if err := c.dropConn(t, m.ConnID, true); err != nil {
			return err
		}
		m.ConnID = ""
		t.putMember(m)
	}
	return nil
}
