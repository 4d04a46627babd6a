package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/chat/proto"
)

var bg = context.Background()

// sendMember sends to a member, or queues the message until the member has
// a connection (a member announced but not yet introduced to me).
func (c *Client) sendMember(t *tx, m *memberRec, body []byte) (uint64, error) {
	if m.ConnID != "" {
		return 0, c.post(t, m.ConnID, body, nil)
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

// doIntroInv (new member, in the worker): create my group connection
// request for member A (and a direct one when the group's opt-in rule
// allows), then send x.grp.mem.inv to the host.
func (c *Client) doIntroInv(t *tx, task taskRec) error {
	if a, err := t.member(task.GroupID, task.MemberID); err != nil || a == nil || !active(a) || a.ConnID != "" {
		return err
	}
	connID, link, err := c.createInvitation(t)
	if err != nil {
		return err
	}
	var dID, dLink string
	if task.Direct {
		if dID, dLink, err = c.createInvitation(t); err != nil {
			return err
		}
	}
	// re-read: the agent calls ran without the lock
	g, err := t.group(task.GroupID)
	if err != nil {
		return nil
	}
	a, err := t.member(task.GroupID, task.MemberID)
	if err != nil {
		return err
	}
	host, err := t.member(g.ID, g.HostID)
	if err != nil {
		return err
	}
	if a == nil || !active(a) || a.ConnID != "" || host == nil {
		c.addTask(t, taskRec{Op: opDelete, ConnID: connID})
		if dID != "" {
			c.addTask(t, taskRec{Op: opDelete, ConnID: dID})
		}
		return nil
	}
	intro := proto.IntroInvitation{GroupConnReq: link}
	a.ConnID, a.Status = connID, msIntroduced
	t.setRef(connID, connRef{Kind: refMember, GroupID: g.ID, MemberID: a.ID})
	if dID != "" && a.ContactID == "" {
		ct := &contactRec{ID: newID(8), ConnID: dID, Status: csPending, Profile: a.Profile, MyProfile: g.MyProfile,
			GroupID: g.ID, MemberID: a.ID, Incognito: g.Incognito, ConnReq: dLink, Mine: true, Intro: true}
		t.putContact(ct)
		t.setRef(dID, connRef{Kind: refContact, ContactID: ct.ID})
		a.ContactID = ct.ID
		intro.DirectConnReq = dLink
	}
	t.putMember(a)
	_, err = c.sendMember(t, host, encode(&proto.GrpMemInv{MemberID: a.ID, MemberIntro: intro}))
	return err
}
