package chat

import (
	"fmt"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// fwdReserve is the room a forwardable message leaves below the agent's
// limit for the host's x.grp.msg.forward wrapper (memberId, memberName,
// msgTs and the envelope: about 150 bytes and the sender's display name).
const fwdReserve = 1024

// maxBody is the largest body the agent accepts (its MaxMessage, never
// above proto.MaxMessage).
func (c *Client) maxBody() int { return min(c.ag.MaxMessage(), proto.MaxMessage) }

// checkSize refuses a body the agent would refuse (LARGE_MSG), or a
// forwardable message that would not fit once its host wraps it in
// x.grp.msg.forward. Inside an event handler the message is recorded
// (TOO_LARGE) and skipped (skip true, err nil): refusing the event would
// have the agent retry it forever and stall every later event. Elsewhere
// (an API call) the call fails with TOO_LARGE.
func (c *Client) checkSize(t *tx, connID string, body []byte) (skip bool, err error) {
	max := c.maxBody()
	var detail string
	switch {
	case len(body) > max:
		detail = fmt.Sprintf("a %d-byte message, the agent takes at most %d", len(body), max)
	case len(body) > max-fwdReserve:
		if msgs, derr := proto.Decode(body); derr == nil {
			for _, m := range msgs {
				b, _ := proto.Encode(m)
				if proto.Forwardable(m.Event()) && len(b) > max-fwdReserve {
					detail = fmt.Sprintf("a %d-byte %s, at most %d leaves room to forward it", len(b), m.Event(), max-fwdReserve)
				}
			}
		}
	}
	if detail == "" {
		return false, nil
	}
	if !t.handler {
		return true, newErr(CodeTooLarge, "%s", detail)
	}
	e := errRec{Code: CodeTooLarge, Detail: "not sent: " + detail}
	if r, rerr := t.ref(connID); rerr == nil && r != nil {
		e.GroupID, e.ContactID = r.GroupID, r.ContactID
		if len(r.MemberID) > 0 {
			e.MemberID = r.MemberID.String()
		}
	}
	c.record(t, e)
	return true, nil
}

// post sends body on connID in this transaction.
func (c *Client) post(t *tx, connID string, body []byte, o agent.SendOptions) error {
	if skip, err := c.checkSize(t, connID, body); skip {
		return err
	}
	_, err := t.Send(connID, body, o)
	return wrapErr(CodeAgent, err, "send")
}

// sendMember sends to a member, or queues the message until the member has
// a connection (a member announced but not yet introduced to me).
func (c *Client) sendMember(t *tx, m *memberRec, body []byte) error {
	if m.ConnID != "" {
		return c.post(t, m.ConnID, body, agent.SendOptions{})
	}
	return c.queueForMember(t, m, body)
}

func (c *Client) queueForMember(t *tx, m *memberRec, body []byte) error {
	if skip, err := c.checkSize(t, "", body); skip {
		return err
	}
	t.Put(bMQ, memberKey(m.GroupID, m.ID)+"/"+seqKey(c.nextSeq(t)), body)
	return nil
}

// sendMembers sends one body to members: one agent record for all that
// have a connection (SendMany), queued for the others. Sending to N
// members costs the same transaction whatever N is.
func (c *Client) sendMembers(t *tx, ms []*memberRec, body []byte, o agent.SendOptions) error {
	if skip, err := c.checkSize(t, "", body); skip {
		return err
	}
	var conns []string
	for _, m := range ms {
		if m.ConnID != "" {
			conns = append(conns, m.ConnID)
		} else if err := c.queueForMember(t, m, body); err != nil {
			return err
		}
	}
	if len(conns) == 0 {
		return nil
	}
	_, err := t.SendMany(conns, body, o)
	return wrapErr(CodeAgent, err, "send")
}

// sendBatch sends messages to a member, batched (JSON arrays) when
// several, each body within the agent's limit.
func (c *Client) sendBatch(t *tx, m *memberRec, msgs []proto.Params) error {
	ms := make([]*proto.Message, len(msgs))
	for i, p := range msgs {
		ms[i] = &proto.Message{V: proto.Current, MsgID: newMemberID(), Params: p}
	}
	bodies, err := proto.EncodeBatch(ms, c.maxBody())
	if err != nil {
		return wrapErr(CodeBadRequest, err, "encode")
	}
	for _, b := range bodies {
		if err := c.sendMember(t, m, b); err != nil {
			return err
		}
	}
	return nil
}

// reserveIntros reserves the queues the introductions in msgs (from my
// host) will need: one invitation per introduced member, two where the
// group's rule asks for a direct connection too.
func (c *Client) reserveIntros(t *tx, g *groupRec, from *memberRec, msgs []*proto.Message) error {
	if !from.ID.Equal(g.HostID) {
		return nil
	}
	n := 0
	for _, msg := range msgs {
		if _, ok := msg.Params.(*proto.GrpMemIntro); ok {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if c.directAtJoin(t, g) {
		n *= 2
	}
	return t.Reserve(n)
}

// directAtJoin: the group's opt-in rule (RFC solution 3) asks new members
// to make direct connections during their introduction.
func (c *Client) directAtJoin(t *tx, g *groupRec) bool {
	n := g.Size
	if n == 0 {
		n, _ = t.activeCount(g.ID)
	}
	return g.Profile.GroupPreferences.DirectConnectionsAllowed(n)
}

// introInv (new member): make my group connection invitation for member
// a (and a direct one when the group's rule says so) and answer the host
// with x.grp.mem.inv (collected into one batch per host message).
func (c *Client) introInv(t *tx, g *groupRec, host, a *memberRec) error {
	connID, link, err := t.CreateInvitation()
	if err != nil {
		return wrapErr(CodeAgent, err, "invitation")
	}
	intro := proto.IntroInvitation{GroupConnReq: link}
	a.ConnID, a.Status = connID, msIntroduced
	t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: a.ID})
	if c.directAtJoin(t, g) && a.ContactID == "" {
		dID, dLink, err := t.CreateInvitation()
		if err != nil {
			return wrapErr(CodeAgent, err, "invitation")
		}
		ct := &contactRec{ID: newID(), ConnID: dID, Status: csPending, Profile: a.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: a.ID, Incognito: g.Incognito, ConnReq: dLink, Mine: true, Intro: true}
		t.putContact(ct)
		t.setRef(dID, connRef{Kind: refContact, ContactID: ct.ID})
		a.ContactID = ct.ID
		intro.DirectConnReq = dLink
	}
	t.putMember(a)
	inv := &proto.GrpMemInv{MemberID: a.ID, MemberIntro: intro}
	if t.toHost != nil {
		*t.toHost = append(*t.toHost, inv)
		return nil
	}
	return c.sendMember(t, host, encode(inv))
}
