package agent

import (
	"errors"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/agent/link"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
)

// CreateInvitation makes a one-time invitation: a new queue on our relay
// and a link to give to one person.
func (t *Tx) CreateInvitation() (connID, lnk string, err error) {
	c, q, err := t.prepareCreate(link.Invitation)
	if err != nil {
		return "", "", err
	}
	t.addCreated(c, q)
	return c.ID, c.Link, nil
}

// CreateAddress makes a long-lived contact address (also a group link):
// every Join of it becomes a Request event.
func (t *Tx) CreateAddress() (connID, lnk string, err error) {
	c, q, err := t.prepareCreate(link.Contact)
	if err != nil {
		return "", "", err
	}
	t.addCreated(c, q)
	return c.ID, c.Link, nil
}

// newQueue takes a spare receive queue for a new connection.
func (t *Tx) newQueue() (*queue, []byte, error) {
	s, err := t.takeSpare()
	if err != nil {
		return nil, nil, err
	}
	pub, priv, err := envelope.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	return &queue{Key: qkey(s.Q.RecipientID), Q: s.Q, E2EPriv: priv}, pub, nil
}

// prepareCreate takes the queue and builds the connection record.
func (t *Tx) prepareCreate(kind link.Kind) (*conn, *queue, error) {
	q, pub, err := t.newQueue()
	if err != nil {
		return nil, nil, err
	}
	c := &conn{ID: randomID(), Role: roleAddress, State: stConnected, RcvQueue: q.Key}
	l := &link.Link{Kind: kind, Server: q.Q.Server, SenderID: q.Q.SenderID, E2EKey: pub}
	if kind == link.Invitation {
		secret, keys, err := ratchet.NewInvitation()
		if err != nil {
			return nil, nil, err
		}
		kb, _ := keys.MarshalBinary()
		sb, _ := secret.MarshalBinary()
		c.Role, c.State, c.InvSecret, l.InvKeys = roleInviter, stNew, sb, kb
	}
	if c.Link, err = l.Format(t.a.cfg.LinkBase); err != nil {
		return nil, nil, err
	}
	q.ConnID = c.ID
	return c, q, nil
}

func (t *Tx) addCreated(c *conn, q *queue) {
	t.conns[c.ID], t.queues[q.Key] = c, q
}

// Join joins an invitation or sends a request to a contact address;
// connInfo goes to the other side (Confirmation or Request event).
func (t *Tx) Join(lnk string, connInfo []byte) (string, error) {
	return t.join(lnk, connInfo, "")
}

// join joins lnk; reqID, when set, is the request being accepted (its
// record is removed in the same transaction).
func (t *Tx) join(lnk string, connInfo []byte, reqID string) (string, error) {
	if len(connInfo) > MaxMessage {
		return "", &Error{Code: CodeLargeMsg}
	}
	l, err := link.Parse(lnk)
	if err != nil {
		return "", &Error{Code: CodeBadLink, Err: err}
	}
	if l.Kind == link.Contact {
		return t.joinAddress(l, connInfo)
	}
	var keys ratchet.InvitationKeys
	if err := keys.UnmarshalBinary(l.InvKeys); err != nil {
		return "", &Error{Code: CodeBadLink, Err: err}
	}
	if reqID != "" && t.req(reqID) == nil {
		return "", &Error{Code: CodeNotFound, Err: errors.New("request already accepted")}
	}
	q, rpub, err := t.newQueue()
	if err != nil {
		return "", err
	}
	c, out, err := joinerConn(l, keys, q, rpub, connInfo)
	if err != nil {
		return "", err
	}
	if reqID != "" {
		t.reqs[reqID] = nil
	}
	t.conns[c.ID], t.queues[q.Key] = c, q
	t.ratchet[c.ID] = true
	t.a.relay(l.Server)
	for _, it := range out {
		t.addOut(it)
	}
	return c.ID, nil
}

// joinerConn builds the joiner's connection and its two outbox entries:
// SKEY on the inviter's queue and the sealed confirmation.
func joinerConn(l *link.Link, keys ratchet.InvitationKeys, q *queue, rpub, info []byte) (*conn, []*outItem, error) {
	r, hello, err := ratchet.InitJoiner(keys)
	if err != nil {
		return nil, nil, &Error{Code: CodeBadLink, Err: err}
	}
	spub, spriv, err := envelope.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	c := &conn{ID: randomID(), Role: roleJoiner, State: stJoined, RcvQueue: q.Key, OwnInfo: info,
		Snd: &sndQueue{Server: l.Server, SenderID: l.SenderID, AuthKey: randomKey(),
			E2EPriv: spriv, E2EPub: spub, E2EPeer: l.E2EKey}}
	q.ConnID = c.ID
	m := &envelope.AgentMessage{MsgNum: 1, Kind: envelope.KindConfirmation, Body: info,
		Reply: &envelope.QueueInfo{Server: q.Q.Server, SenderID: q.Q.SenderID, E2EKey: rpub}}
	env, pt, err := sealFirst(r, m, hello, c.Snd)
	if err != nil {
		return nil, nil, err
	}
	if c.Ratchet, err = r.MarshalBinary(); err != nil {
		return nil, nil, err
	}
	c.SndWire, c.SndHash = 1, envelope.Hash(pt)
	s := c.Snd
	return c, []*outItem{
		{ConnID: c.ID, Kind: outSecure, Server: s.Server, SenderID: s.SenderID, AuthKey: s.AuthKey},
		{ConnID: c.ID, Kind: outEnv, Server: s.Server, SenderID: s.SenderID, AuthKey: s.AuthKey,
			Body: env, Sealed: true, Wire: 1},
	}, nil
}

// sealFirst encrypts the confirmation with the ratchet and boxes it with
// the hello in a keyed envelope.
func sealFirst(r *ratchet.Ratchet, m *envelope.AgentMessage, hello ratchet.JoinerHello, s *sndQueue) (env, pt []byte, err error) {
	if pt, err = m.Encode(); err != nil {
		return nil, nil, err
	}
	ct, err := r.Encrypt(pt, ratchetAD)
	if err != nil {
		return nil, nil, err
	}
	hb, _ := hello.MarshalBinary()
	inner, err := (&envelope.Inner{Tag: envelope.InnerHello, Hello: hb, Body: ct}).Encode()
	if err != nil {
		return nil, nil, err
	}
	k, err := envelope.Precompute(s.E2EPeer, s.E2EPriv)
	if err != nil {
		return nil, nil, err
	}
	env, err = envelope.Seal(k, s.E2EPub, inner)
	return env, pt, err
}

// joinAddress makes our own invitation (allowed automatically with
// connInfo) and sends it as a request to the address.
func (t *Tx) joinAddress(l *link.Link, connInfo []byte) (string, error) {
	spub, spriv, err := envelope.GenerateKey()
	if err != nil {
		return "", err
	}
	c, q, err := t.prepareCreate(link.Invitation)
	if err != nil {
		return "", err
	}
	c.AutoAllow, c.OwnInfo = true, connInfo
	inner, err := (&envelope.Inner{Tag: envelope.InnerRequest, Link: c.Link, Body: connInfo}).Encode()
	if err != nil {
		return "", wrap(CodeLargeMsg, err)
	}
	k, err := envelope.Precompute(l.E2EKey, spriv)
	if err != nil {
		return "", &Error{Code: CodeBadLink, Err: err}
	}
	env, err := envelope.Seal(k, spub, inner)
	if err != nil {
		return "", wrap(CodeLargeMsg, err)
	}
	t.addCreated(c, q)
	t.a.relay(l.Server)
	t.addOut(&outItem{ConnID: c.ID, Kind: outEnv, Server: l.Server, SenderID: l.SenderID, Body: env, Sealed: true})
	return c.ID, nil
}
