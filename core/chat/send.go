package chat

import (
	"context"
	"fmt"

	"github.com/sxweb/sxweb/core/chat/proto"
)

var bg = context.Background()

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

// sendMember sends to a member, or queues the message until the member has
// a connection (a member announced but not yet introduced to me).
func (c *Client) sendMember(t *tx, m *memberRec, body []byte) (uint64, error) {
	if m.ConnID != "" {
		return 0, c.post(t, m.ConnID, body, nil)
	}
	if skip, err := c.checkSize(t, "", body); skip {
		return 0, err
	}
	t.putRaw(bMQ, memberKey(m.GroupID, m.ID)+"/"+seqKey(c.nextSeq(t)), body)
	return 0, nil
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
