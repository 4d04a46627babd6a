package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/chat/proto"
)

var bg = context.Background()

// send queues body on connID: inside an event handler through SendTx (so it
// commits with the event), elsewhere through Send.
func (c *Client) send(t *tx, connID string, body []byte) (uint64, error) {
	if t.handler {
		n, err := c.ag.SendTx(t.b, connID, body)
		return n, wrapErr(CodeAgent, err, "send")
	}
	n, err := c.ag.Send(t.ctx, connID, body)
	if err != nil {
		return 0, wrapErr(CodeAgent, err, "send")
	}
	return n, nil
}

// sendMember sends to a member, or queues the message until the member has
// a connection (a member announced but not yet introduced to me).
func (c *Client) sendMember(t *tx, m *memberRec, body []byte) (uint64, error) {
	if m.ConnID != "" {
		return c.send(t, m.ConnID, body)
	}
	t.putRaw(bMQ, memberKey(m.GroupID, m.ID)+"/"+seqKey(c.nextSeq(t)), body)
	return 0, nil
}

// sendMembers sends messages to a member, batched (JSON array) when several.
func (c *Client) sendBatch(t *tx, m *memberRec, msgs []proto.Params) error {
	ms := make([]*proto.Message, len(msgs))
	for i, p := range msgs {
		ms[i] = &proto.Message{V: proto.Current, MsgID: newMemberID(), Params: p}
	}
	bodies, err := proto.EncodeBatch(ms, proto.MaxMessage)
	if err != nil {
		return wrapErr(CodeBadRequest, err, "encode")
	}
	for _, b := range bodies {
		if _, err := c.sendMember(t, m, b); err != nil {
			return err
		}
	}
	return nil
}

// doIntroInv (new member): create my group connection request for member A
// (and a direct one when the group's opt-in rule allows), then tell the host.
func (c *Client) doIntroInv(t *tx, task taskRec) error {
	g, err := t.group(task.GroupID)
	if err != nil {
		return nil
	}
	a, err := t.member(task.GroupID, task.MemberID)
	if err != nil || a == nil || !active(a) || a.ConnID != "" {
		return err
	}
	host, err := t.member(g.ID, g.HostID)
	if err != nil || host == nil {
		return err
	}
	connID, link, err := c.ag.CreateInvitation(t.ctx)
	if err != nil {
		return wrapErr(CodeAgent, err, "create invitation")
	}
	intro := proto.IntroInvitation{GroupConnReq: link}
	a.ConnID, a.Status = connID, msIntroduced
	t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: a.ID})
	if task.Direct && a.ContactID == "" {
		dID, dLink, err := c.ag.CreateInvitation(t.ctx)
		if err != nil {
			return wrapErr(CodeAgent, err, "create direct invitation")
		}
		ct := &contactRec{ID: newID(8), ConnID: dID, Status: csPending, Profile: a.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: a.ID, Incognito: g.Incognito, ConnReq: dLink, Mine: true}
		t.putContact(ct)
		t.setRef(dID, connRef{Kind: refContact, ContactID: ct.ID})
		a.ContactID = ct.ID
		intro.DirectConnReq = dLink
	}
	t.putMember(a)
	_, err = c.sendMember(t, host, encode(&proto.GrpMemInv{MemberID: a.ID, MemberIntro: intro}))
	return err
}
