package relay

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/wire"
)

func isUnknown(err error) bool { return errors.Is(err, wire.ErrUnknown) }

// queueView is a queue record as the engine uses it.
type queueView struct {
	store.Queue
	box *[32]byte
}

// msg builds the MSG for m, re-encrypted under the queue's box key.
func (q *queueView) msg(rid string, m store.Message, corr []byte) *wire.Transmission {
	if q.box == nil {
		q.box = (*[32]byte)(q.BoxKey)
	}
	return &wire.Transmission{CorrID: corr, EntityID: []byte(rid), Code: wire.MSG, MsgID: m.ID,
		Timestamp: m.Timestamp, Body: wire.SealMsg(nil, m.Body, m.ID, q.box)}
}

// recipientQueue authenticates a recipient command. Unknown queue, a sender
// id in place of a recipient id and a bad tag all do one lookup and one
// HMAC and return false.
func (s *Server) recipientQueue(ctx context.Context, sessionID []byte, t *wire.Transmission) (*queueView, bool) {
	q, err := s.cfg.Store.ByRecipient(ctx, t.EntityID)
	var mac []byte
	if err == nil {
		mac = q.RecipientMAC
	}
	if !wire.Verify(mac, sessionID, t) {
		return nil, false
	}
	return &queueView{Queue: q}, true
}

func randID() []byte {
	b := make([]byte, wire.IDLen)
	rand.Read(b)
	return b
}

func (ss *Session) storeResp(t *wire.Transmission, err error) *wire.Transmission {
	switch {
	case err == nil:
		return okResp(t)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAuth), errors.Is(err, store.ErrSuspended):
		return errResp(t, wire.ErrAUTH)
	case errors.Is(err, store.ErrQuota):
		return errResp(t, wire.ErrQUOTA)
	case errors.Is(err, store.ErrNoMsg):
		return errResp(t, wire.ErrNO_MSG)
	}
	ss.srv.log.Error("store", "cmd", t.Code, "err", err)
	return errResp(t, wire.ErrINTERNAL)
}

func (ss *Session) cmdNew(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	mac, err := wire.MACKey(s.cfg.AuthKey, t.Key1)
	if err != nil || !wire.Verify(mac, ss.id[:], t) {
		return errResp(t, wire.ErrAUTH)
	}
	srvPriv, srvPub := wire.NewKeyPair()
	box, err := wire.BoxKey(srvPriv, t.Key2)
	if err != nil {
		return errResp(t, wire.ErrCMD_SYNTAX)
	}
	q := store.Queue{RecipientKey: t.Key1, RecipientMAC: mac, BoxKey: box[:]}
	for i := 0; ; i++ {
		q.RecipientID, q.SenderID = randID(), randID()
		err = ss.commit(func() error { return s.cfg.Store.Create(ctx, q) })
		if !errors.Is(err, store.ErrDuplicate) || i == 3 {
			break
		}
	}
	if err != nil {
		return ss.storeResp(t, err)
	}
	if ss.pushAllow { // as in SMP, NEW subscribes the creating session
		ss.srv.subscribe(ctx, string(q.RecipientID), &queueView{Queue: q}, ss)
	}
	return &wire.Transmission{CorrID: t.CorrID, Code: wire.IDS, RecipientID: q.RecipientID,
		SenderID: q.SenderID, ServerDHKey: srvPub}
}

// cmdSKey: the tag is by the key being installed; the X25519 is computed
// before the lookup so an unknown queue costs the same.
func (ss *Session) cmdSKey(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	mac, kerr := wire.MACKey(s.cfg.AuthKey, t.Key1)
	q, err := s.cfg.Store.BySender(ctx, t.EntityID)
	if kerr != nil || err != nil {
		mac = nil
	}
	if !wire.Verify(mac, ss.id[:], t) {
		return errResp(t, wire.ErrAUTH)
	}
	return ss.storeResp(t, ss.commit(func() error { return s.cfg.Store.Secure(ctx, q.RecipientID, t.Key1, mac) }))
}

func (ss *Session) cmdSend(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	if len(t.Body) > s.cfg.MaxMsgSize {
		return errResp(t, wire.ErrLARGE_MSG)
	}
	q, err := s.cfg.Store.BySender(ctx, t.EntityID)
	var mac []byte
	if err == nil {
		mac = q.SenderMAC
	}
	switch {
	case t.Auth != nil:
		if !wire.Verify(mac, ss.id[:], t) {
			return errResp(t, wire.ErrAUTH)
		}
	case err != nil || q.Secured(): // unauthenticated SEND: only to an unsecured queue
		wire.Verify(nil, ss.id[:], t) // same work as a failed check
		return errResp(t, wire.ErrAUTH)
	}
	if q.Suspended {
		return errResp(t, wire.ErrAUTH)
	}
	m := store.Message{ID: randID(), Timestamp: s.now(), Body: t.Body}
	if err := ss.commit(func() error { return s.cfg.Store.Put(ctx, q.RecipientID, m, s.cfg.Quota) }); err != nil {
		return ss.storeResp(t, err)
	}
	ss.send(okResp(t))
	s.delivered(ctx, string(q.RecipientID), &queueView{Queue: q})
	return nil
}

func (ss *Session) cmdSub(ctx context.Context, t *wire.Transmission, q *queueView) *wire.Transmission {
	if !ss.pushAllow {
		return errResp(t, wire.ErrCMD_PROHIBITED)
	}
	ss.send(okResp(t))
	ss.srv.subscribe(ctx, string(t.EntityID), q, ss)
	return nil
}

func (ss *Session) cmdAck(ctx context.Context, t *wire.Transmission, q *queueView) *wire.Transmission {
	if err := ss.commit(func() error { return ss.srv.cfg.Store.Ack(ctx, t.EntityID, t.MsgID) }); err != nil {
		if errors.Is(err, store.ErrNoMsg) {
			// Perhaps the delivered message expired before its ACK: NO_MSG,
			// then the next one, rather than a subscription stuck on it.
			ss.send(errResp(t, wire.ErrNO_MSG))
			ss.srv.ackedGone(ctx, string(t.EntityID), q, t.MsgID)
			return nil
		}
		return ss.storeResp(t, err)
	}
	ss.send(okResp(t))
	ss.srv.acked(ctx, string(t.EntityID), q)
	return nil
}

func (ss *Session) cmdGet(ctx context.Context, t *wire.Transmission, q *queueView) *wire.Transmission {
	if ss.holds(string(t.EntityID)) {
		return errResp(t, wire.ErrCMD_PROHIBITED) // subscribed here: messages come as events
	}
	m, err := ss.srv.cfg.Store.Peek(ctx, t.EntityID, ss.srv.notBefore())
	if err != nil {
		return ss.storeResp(t, err)
	}
	return q.msg(string(t.EntityID), m, t.CorrID)
}
