package agent

import (
	"errors"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
)

// receiveConfirmation handles the joiner's confirmation on our invitation
// queue: key agreement, its reply queue and connInfo.
func (a *Agent) receiveConfirmation(t *Tx, c *conn, q *queue, env *envelope.Envelope) ([]Event, error) {
	if env.SenderKey == nil {
		return nil, errors.New("confirmation without sender key")
	}
	in, err := a.open(q.E2EPriv, env.SenderKey, env)
	if err != nil {
		return nil, err
	}
	if in.Tag != envelope.InnerHello {
		return nil, errors.New("not a confirmation")
	}
	var hello ratchet.JoinerHello
	if err := hello.UnmarshalBinary(in.Hello); err != nil {
		return nil, err
	}
	var secret ratchet.InvitationSecret
	if err := secret.UnmarshalBinary(c.InvSecret); err != nil {
		return nil, err
	}
	r, err := ratchet.InitInviter(&secret, hello)
	if err != nil {
		return nil, err
	}
	pt, err := r.Decrypt(in.Body, ratchetAD)
	if err != nil {
		return nil, err
	}
	m, err := envelope.DecodeAgentMessage(pt)
	if err != nil {
		return nil, err
	}
	if m.Kind != envelope.KindConfirmation || m.MsgNum != 1 {
		return nil, errors.New("first message is not a confirmation")
	}
	st, err := r.MarshalBinary()
	if err != nil {
		return nil, err
	}
	spub, spriv, err := envelope.GenerateKey()
	if err != nil {
		return nil, err
	}
	t.setRatchet(c, st)
	q.PeerKey = env.SenderKey
	c.State, c.InvSecret, c.PeerInfo, c.ConfID = stConfirmed, nil, m.Body, randomID()
	c.RcvWire, c.RcvHash = 1, envelope.Hash(pt)
	c.Snd = &sndQueue{Server: m.Reply.Server, SenderID: m.Reply.SenderID, AuthKey: randomKey(),
		E2EPriv: spriv, E2EPub: spub, E2EPeer: m.Reply.E2EKey}
	if c.AutoAllow {
		return nil, t.allow(c, c.ConfID, c.OwnInfo)
	}
	return []Event{Confirmation{ConnID: c.ID, ConfID: c.ConfID, ConnInfo: m.Body}}, nil
}

// Allow accepts a Confirmation: it secures the joiner's reply queue and
// sends our connInfo there. Connected follows when the relay accepts it.
func (t *Tx) Allow(connID, confID string, connInfo []byte) error {
	c := t.conn(connID)
	if c == nil {
		return &Error{Code: CodeNotFound}
	}
	return t.allow(c, confID, connInfo)
}

func (t *Tx) allow(c *conn, confID string, connInfo []byte) error {
	if c.State != stConfirmed || c.ConfID != confID || confID == "" {
		if c.ConfID != confID {
			return &Error{Code: CodeNotFound, Err: errNoConf}
		}
		return errf(CodeBadState, "connection is %s", c.State)
	}
	if len(connInfo) > MaxMessage {
		return &Error{Code: CodeLargeMsg}
	}
	c.State, c.ConfID, c.OwnInfo = stAllowed, "", nil
	s := c.Snd
	t.a.relay(s.Server)
	t.addOut(&outItem{ConnID: c.ID, Kind: outSecure, Server: s.Server, SenderID: s.SenderID, AuthKey: s.AuthKey})
	info := &outItem{ConnID: c.ID, Kind: outInfo, Body: connInfo}
	t.addOut(info)
	// Messages queued while pending may be sealed now (after the info).
	return t.sealQueued(c)
}

// AcceptRequest accepts a Request on a contact address (also one
// delivered in this same transaction): it joins the requester's
// invitation with connInfo and returns the new connection.
func (t *Tx) AcceptRequest(addressConnID, reqID string, connInfo []byte) (string, error) {
	r := t.req(reqID)
	if r == nil || r.ConnID != addressConnID {
		return "", &Error{Code: CodeNotFound}
	}
	return t.join(r.Link, connInfo, reqID)
}

var errNoConf = errors.New("no such confirmation")
