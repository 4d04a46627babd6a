package agent

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/agent/link"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
	"github.com/sxweb/sxweb/core/store"
)

// CreateInvitation makes a one-time invitation: a new queue on our relay
// and a link to give to one person.
func (a *Agent) CreateInvitation(ctx context.Context) (connID, lnk string, err error) {
	id, l, err := a.create(ctx, link.Invitation)
	return id, l, err
}

// CreateAddress makes a long-lived contact address (also a group link):
// every Join of it becomes a Request event.
func (a *Agent) CreateAddress(ctx context.Context) (connID, lnk string, err error) {
	return a.create(ctx, link.Contact)
}

// newQueue creates a receive queue on our relay (network; a.mu not needed).
func (a *Agent) newQueue(ctx context.Context) (*queue, []byte, error) {
	if err := a.checkStarted(); err != nil {
		return nil, nil, err
	}
	r := a.relay(a.cfg.Relays[0])
	rq, err := r.c.CreateQueue(ctx)
	if err != nil {
		return nil, nil, wrap(CodeRelay, err)
	}
	rq.Server = r.server
	pub, priv, err := envelope.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	return &queue{Key: qkey(rq.RecipientID), Q: rq, E2EPriv: priv}, pub, nil
}

// create makes an invitation or address and commits it.
func (a *Agent) create(ctx context.Context, kind link.Kind) (string, string, error) {
	c, q, err := a.prepareCreate(ctx, kind)
	if err != nil {
		return "", "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.newTx(nil)
	a.addCreated(t, c, q)
	return c.ID, c.Link, a.commit(ctx, t)
}

// prepareCreate creates the queue (network) and the connection record.
func (a *Agent) prepareCreate(ctx context.Context, kind link.Kind) (*conn, *queue, error) {
	q, pub, err := a.newQueue(ctx)
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
	if c.Link, err = l.Format(a.cfg.LinkBase); err != nil {
		return nil, nil, err
	}
	q.ConnID = c.ID
	return c, q, nil
}

func (a *Agent) addCreated(t *tx, c *conn, q *queue) {
	t.conns[c.ID], t.queues[q.Key] = c, q
	t.after = append(t.after, func() { a.subscribed[q.Key] = true })
}

// Join joins an invitation or sends a request to a contact address;
// connInfo goes to the other side (Confirmation or Request event).
func (a *Agent) Join(ctx context.Context, lnk string, connInfo []byte) (string, error) {
	return a.join(ctx, nil, lnk, connInfo, "")
}

// JoinTx is Join inside a Handler, committed with the handler's batch. It
// creates a queue on the relay (network) before returning.
func (a *Agent) JoinTx(b *store.Batch, lnk string, connInfo []byte) (string, error) {
	t, err := a.inTx(b)
	if err != nil {
		return "", err
	}
	return a.join(a.ctx, t, lnk, connInfo, "")
}

// join joins lnk; reqID, when set, is the request being accepted (its
// record is removed in the same transaction).
func (a *Agent) join(ctx context.Context, t *tx, lnk string, connInfo []byte, reqID string) (string, error) {
	if len(connInfo) > MaxMessage {
		return "", &Error{Code: CodeLargeMsg}
	}
	l, err := link.Parse(lnk)
	if err != nil {
		return "", &Error{Code: CodeBadLink, Err: err}
	}
	if l.Kind == link.Contact {
		return a.joinAddress(ctx, t, l, connInfo)
	}
	var keys ratchet.InvitationKeys
	if err := keys.UnmarshalBinary(l.InvKeys); err != nil {
		return "", &Error{Code: CodeBadLink, Err: err}
	}
	q, rpub, err := a.newQueue(ctx)
	if err != nil {
		return "", err
	}
	c, out, err := joinerConn(l, keys, q, rpub, connInfo)
	if err != nil {
		return "", err
	}
	own := t == nil
	if own {
		a.mu.Lock()
		defer a.mu.Unlock()
		t = a.newTx(nil)
	}
	if reqID != "" {
		if a.txReq(t, reqID) == nil {
			return "", &Error{Code: CodeNotFound, Err: errors.New("request already accepted")}
		}
		t.reqs[reqID] = nil
	}
	t.conns[c.ID], t.queues[q.Key] = c, q
	t.ratchet[c.ID] = true
	t.after = append(t.after, func() { a.subscribed[q.Key] = true })
	a.relay(l.Server)
	for _, it := range out {
		a.addOut(t, it)
	}
	if own {
		return c.ID, a.commit(ctx, t)
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
func (a *Agent) joinAddress(ctx context.Context, t *tx, l *link.Link, connInfo []byte) (string, error) {
	spub, spriv, err := envelope.GenerateKey()
	if err != nil {
		return "", err
	}
	c, q, err := a.prepareCreate(ctx, link.Invitation)
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
	own := t == nil
	if own {
		a.mu.Lock()
		defer a.mu.Unlock()
		t = a.newTx(nil)
	}
	a.addCreated(t, c, q)
	a.relay(l.Server)
	a.addOut(t, &outItem{ConnID: c.ID, Kind: outEnv, Server: l.Server, SenderID: l.SenderID, Body: env, Sealed: true})
	if own {
		return c.ID, a.commit(ctx, t)
	}
	return c.ID, nil
}

var errNoConf = errors.New("no such confirmation")
