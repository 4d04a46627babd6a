package chat

import (
	"fmt"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

func (c *Client) dispatch(t *tx, ev agent.Event) error {
	switch e := ev.(type) {
	case agent.Sent:
		return c.onSent(t, e.ConnID, e.Tag, deliverySent)
	case agent.Delivered:
		return c.onSent(t, e.ConnID, e.Tag, deliveryDone)
	case agent.SendFailed:
		return c.onSent(t, e.ConnID, e.Tag, deliveryFailed)
	case agent.HandlerFailed:
		return c.onFailed(t, e)
	case agent.Confirmation:
		return c.onConnEvent(t, e.ConnID, ev)
	case agent.Request:
		return c.onConnEvent(t, e.ConnID, ev)
	case agent.Connected:
		return c.onConnEvent(t, e.ConnID, ev)
	case agent.Message:
		return c.onConnEvent(t, e.ConnID, ev)
	case agent.RatchetSync:
		return c.onRatchetSync(t, e)
	case agent.SubscriptionsEnded:
		c.onMoved(t, e)
	}
	return nil // integrity reports, relay up/down, deletions: nothing to store
}

// onConnEvent routes an event of a connection to what it belongs to.
func (c *Client) onConnEvent(t *tx, connID string, ev agent.Event) error {
	r, err := t.ref(connID)
	if err != nil {
		return err
	}
	if r == nil {
		if _, ok := ev.(agent.Message); ok {
			c.record(t, errRec{Code: CodeUnknownMember, Detail: "message on an unknown connection"})
		}
		return nil
	}
	switch r.Kind {
	case refGLink:
		if e, ok := ev.(agent.Request); ok {
			return c.onLinkRequest(t, r, e)
		}
	case refContact:
		return c.onContactEvent(t, r, ev)
	case refMember:
		return c.onMemberEvent(t, r, ev)
	}
	return nil
}

// onFailed records an event the handler failed on for good (it panicked),
// with the chat it belongs to when its connection is known.
func (c *Client) onFailed(t *tx, ev agent.HandlerFailed) error {
	e := errRec{Code: CodeHandlerFailed,
		Detail: fmt.Sprintf("handling %T failed (kept by the agent as %s): %s", ev.Event, ev.ID, ev.Reason)}
	if ev.ConnID != "" {
		r, err := t.ref(ev.ConnID)
		if err != nil {
			return err
		}
		if r != nil {
			e.GroupID, e.ContactID = r.GroupID, r.ContactID
			if len(r.MemberID) > 0 {
				e.MemberID = r.MemberID.String()
			}
		}
	}
	c.record(t, e)
	return nil
}

// decodeInfo decodes connection info; nil when absent or not parseable.
func decodeInfo(info []byte) *proto.Message {
	if len(info) == 0 {
		return nil
	}
	m, err := proto.DecodeOne(info)
	if err != nil {
		return nil
	}
	return m
}

func (c *Client) onMemberEvent(t *tx, r *connRef, ev agent.Event) error {
	g, err := t.group(r.GroupID)
	if err != nil {
		return ignoreNotFound(err)
	}
	m, err := t.member(r.GroupID, r.MemberID)
	if err != nil {
		return err
	}
	if m == nil {
		c.record(t, errRec{Code: CodeUnknownMember, Detail: "event on a removed member's connection", GroupID: g.ID})
		return nil
	}
	switch e := ev.(type) {
	case agent.Confirmation:
		return c.onMemberConfirmation(t, g, m, e)
	case agent.Connected:
		if info := decodeInfo(e.ConnInfo); info != nil {
			if m, err = c.onMemberInfo(t, g, m, e.ConnID, info); err != nil || m == nil {
				return err
			}
		}
		return c.onMemberUp(t, g, m)
	case agent.Message:
		msgs, err := proto.Decode(e.Body)
		if err != nil {
			c.record(t, errRec{Code: CodeBadMessage, Detail: err.Error(), GroupID: g.ID, MemberID: m.ID.String()})
			return nil
		}
		return c.onGroupMsgs(t, g, m, msgs)
	}
	return nil
}

// onGroupMsgs handles the events of one message (a batch) of member m.
// Invitations it makes for introduced members need new queues: they are
// reserved at once, and the x.grp.mem.inv answers go to the host as one
// batch.
func (c *Client) onGroupMsgs(t *tx, g *groupRec, m *memberRec, msgs []*proto.Message) error {
	if err := c.reserveIntros(t, g, m, msgs); err != nil {
		return err
	}
	var toHost []proto.Params
	t.toHost = &toHost
	defer func() { t.toHost = nil }()
	id := m.ID
	for _, msg := range msgs {
		if err := c.onGroupMsg(t, g, m, msg, nil); err != nil {
			return err
		}
		// reload: the message may have changed the group or the member
		var err error
		if g, err = t.group(g.ID); err != nil {
			return ignoreNotFound(err)
		}
		if m, err = t.member(g.ID, id); err != nil || m == nil {
			return err
		}
	}
	if len(toHost) > 0 {
		return c.sendBatch(t, m, toHost)
	}
	return nil
}

func ignoreNotFound(err error) error {
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	return err
}

// onMemberConfirmation: a member joined a group invitation of mine.
func (c *Client) onMemberConfirmation(t *tx, g *groupRec, m *memberRec, ev agent.Confirmation) error {
	info := decodeInfo(ev.ConnInfo)
	var reply []byte
	switch p := paramsOf(info).(type) {
	case *proto.GrpAcpt: // my invitee accepts x.grp.inv
		if !m.Invitee || !p.MemberID.Equal(m.ID) {
			c.record(t, errRec{Code: CodeProhibited, Detail: "x.grp.acpt for another member", GroupID: g.ID})
			return nil
		}
		if p.Profile != nil {
			m.Profile = *p.Profile
		}
		m.Status = msAccepted
		t.putMember(m)
		reply = encode(&proto.OK{})
	case *proto.GrpMemInfo: // an introduced member joins my intro invitation
		if !p.MemberID.Equal(m.ID) {
			c.record(t, errRec{Code: CodeProhibited, Detail: "x.grp.mem.info for another member", GroupID: g.ID})
			return nil
		}
		m.Profile = p.Profile
		t.putMember(m)
		mp, err := t.myProfile(g)
		if err != nil {
			return err
		}
		reply = encode(&proto.GrpMemInfo{MemberID: g.MyID, Profile: mp})
	default:
		if _, err := c.onMemberInfo(t, g, m, ev.ConnID, info); err != nil {
			return err
		}
		reply = encode(&proto.OK{})
	}
	if err := t.Allow(ev.ConnID, ev.ConfID, reply); err != nil {
		c.record(t, errRec{Code: CodeAgent, Detail: "allow: " + err.Error(), GroupID: g.ID})
	}
	return nil
}

func paramsOf(m *proto.Message) proto.Params {
	if m == nil {
		return nil
	}
	return m.Params
}

// onMemberInfo handles the peer's connection info on the joining side;
// it returns the (possibly renamed) member, nil if the info is refused.
func (c *Client) onMemberInfo(t *tx, g *groupRec, m *memberRec, connID string, info *proto.Message) (*memberRec, error) {
	switch p := info.Params.(type) {
	case *proto.GrpLinkInv: // the host of a group link I followed
		if g.Status != gsJoining || len(g.HostID) != 0 {
			return m, nil
		}
		li := p.GroupLinkInvitation
		t.delMember(m)
		m.ID, m.Role = li.FromMember.MemberID, li.FromMember.MemberRole
		m.Profile.DisplayName = li.FromMemberName
		t.putMember(m)
		t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: m.ID})
		g.Profile, g.MyID, g.MyRole, g.HostID = li.GroupProfile, li.InvitedMember.MemberID, li.InvitedMember.MemberRole, m.ID
		if li.GroupSize != nil {
			g.Size = *li.GroupSize
		}
		t.putGroup(g)
	case *proto.GrpMemInfo:
		if !p.MemberID.Equal(m.ID) {
			c.record(t, errRec{Code: CodeProhibited, Detail: "x.grp.mem.info for another member", GroupID: g.ID})
			return nil, nil
		}
		m.Profile = p.Profile
		t.putMember(m)
	}
	return m, nil
}

// onMemberUp: our group connection with m is up.
func (c *Client) onMemberUp(t *tx, g *groupRec, m *memberRec) error {
	if m.Status == msConnected || !active(m) {
		return nil
	}
	wasInvitee := m.Invitee && (m.Status == msAccepted || m.Status == msInvited)
	m.Status = msConnected
	t.putMember(m)
	t.emitMember(m)
	if err := c.fileMemberUp(t, g, m); err != nil {
		return err
	}
	switch {
	case wasInvitee:
		return c.introduce(t, g, m)
	case m.ID.Equal(g.HostID) && g.Status == gsJoining:
		g.Status = gsActive
		t.putGroup(g)
		t.emitGroup(g)
	case len(m.IntroBy) > 0 && !m.IntroBy.Equal(g.MyID):
		// A direct invitation of my introduction (directConnReq) is kept
		// pending: the group connection says nothing of it, as the peer's
		// confirmation of the direct one travels on another queue and may
		// still be on its way (see docs/chat-protocol.md, third solution).
		host, err := t.member(g.ID, m.IntroBy)
		if err != nil || host == nil || !active(host) {
			return err
		}
		return c.sendMember(t, host, encode(&proto.GrpMemCon{MemberID: m.ID}))
	}
	return nil
}

// introduce (host): announce the new member b to every member and
// introduce every member to b, recording the pairs to forward between.
func (c *Client) introduce(t *tx, g *groupRec, b *memberRec) error {
	if b.ViaLink {
		mp, err := t.myProfile(g)
		if err != nil {
			return err
		}
		if err := c.sendMember(t, b, encode(&proto.GrpLinkMem{Profile: mp})); err != nil {
			return err
		}
		if err := c.sendHistory(t, g, b); err != nil {
			return err
		}
	}
	ms, err := t.members(g.ID)
	if err != nil {
		return err
	}
	var intros []proto.Params
	var others []*memberRec
	for _, a := range ms {
		if a.ID.Equal(b.ID) || !active(a) || a.Status == msInvited || a.Status == msAccepted {
			continue
		}
		others = append(others, a)
		intros = append(intros, &proto.GrpMemIntro{MemberInfo: memberInfo(a)})
		t.put(bIntro, g.ID+"/"+b.ID.String()+"/"+a.ID.String(), introRec{})
		t.put(bIntro, g.ID+"/"+a.ID.String()+"/"+b.ID.String(), introRec{})
	}
	if len(intros) == 0 {
		return nil
	}
	if err := c.sendMembers(t, others, encode(&proto.GrpMemNew{MemberInfo: memberInfo(b)}), agent.SendOptions{}); err != nil {
		return err
	}
	return c.sendBatch(t, b, intros)
}
