package relay

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/wire"
)

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

// recipientQueue authenticates a recipient command (rules.Recipient):
// unknown queue, a sender id in place of a recipient id and a bad tag all
// do one lookup and one HMAC and return false.
func (s *Server) recipientQueue(ctx context.Context, sessionID []byte, t *wire.Transmission) (*queueView, bool) {
	q, err := s.cfg.Store.ByRecipient(ctx, t.EntityID)
	if !rules.Recipient(found(&q, err), sessionID, t) {
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
		return errResp(t, wire.ErrAuth)
	case errors.Is(err, store.ErrQuota):
		return errResp(t, wire.ErrQuota)
	case errors.Is(err, store.ErrNoMsg):
		return errResp(t, wire.ErrNoMsg)
	}
	ss.srv.log.Error("store", "cmd", t.Code, "err", err)
	return errResp(t, wire.ErrInternal)
}

// cmdNew creates a queue. Limits come first, before the X25519 that
// authenticating the NEW costs: a WebSocket session's NEW subscribes it, so
// it needs a place among its subscriptions (LIMIT), and the session's and
// address's creation allowances must have a NEW left (RATE).
func (ss *Session) cmdNew(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	if !ss.srv.mark.Reserve(queueEstimate) {
		ss.srv.refused.quota.Add(1)
		return errResp(t, wire.ErrQuota) // the store watermark (watermark.go)
	}
	if ss.pushAllow {
		if code := ss.admitSub(""); code != 0 {
			ss.srv.mark.Unreserve(queueEstimate)
			return errResp(t, code)
		}
	}
	resp := ss.createQueue(ctx, t)
	if resp.Code != wire.IDS {
		ss.srv.mark.Unreserve(queueEstimate)
		if ss.pushAllow {
			ss.released(1)
		}
	}
	return resp
}

func (ss *Session) createQueue(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	if code := ss.takeNew(); code != 0 {
		return errResp(t, code)
	}
	q, srvPub, code := rules.NewQueue(s.cfg.AuthKey, ss.id[:], t, s.cfg.Now(), rules.Days)
	if code != 0 {
		return errResp(t, code) // the allowance stays spent: the X25519 was done
	}
	var err error
	for i := 0; ; i++ {
		q.RecipientID, q.SenderID = randID(), randID()
		err = ss.commit(func() error { return s.cfg.Store.Create(ctx, q) })
		if !errors.Is(err, store.ErrDuplicate) || i == 3 {
			break
		}
	}
	if err != nil {
		ss.giveNew()
		return ss.storeResp(t, err)
	}
	if ss.pushAllow { // as in SMP, NEW subscribes the creating session
		ss.srv.subscribe(ctx, string(q.RecipientID), &queueView{Queue: q}, ss)
	}
	return &wire.Transmission{CorrID: t.CorrID, Code: wire.IDS, RecipientID: q.RecipientID,
		SenderID: q.SenderID, ServerDHKey: srvPub}
}

// cmdSKey: authenticated by the key being installed (rules.SKey); whether
// it may be installed is decided in the store's transaction (rules.Secure).
func (ss *Session) cmdSKey(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	q, err := s.cfg.Store.BySender(ctx, t.EntityID)
	mac, ok := rules.SKey(s.cfg.AuthKey, found(&q, err), ss.id[:], t)
	if !ok {
		return errResp(t, wire.ErrAuth)
	}
	return ss.storeResp(t, ss.commit(func() error { return s.cfg.Store.Secure(ctx, q.RecipientID, t.Key1, mac) }))
}

func (ss *Session) cmdSend(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	s := ss.srv
	var q store.Queue
	var err error
	if len(t.Body) <= s.cfg.MaxMsgSize { // else LARGE_MSG without a lookup
		q, err = s.cfg.Store.BySender(ctx, t.EntityID)
	}
	if code := rules.Send(found(&q, err), s.cfg.MaxMsgSize, ss.id[:], t); code != 0 {
		return errResp(t, code)
	}
	if cost := msgCost(len(t.Body)); !s.mark.Reserve(int64(cost)) {
		s.refused.quota.Add(1)
		return errResp(t, wire.ErrQuota) // the store watermark (watermark.go)
	} else if err := ss.put(ctx, q.RecipientID, t.Body); err != nil {
		s.mark.Unreserve(int64(cost))
		return ss.storeResp(t, err)
	}
	ss.send(okResp(t))
	s.delivered(ctx, string(q.RecipientID), &queueView{Queue: q})
	return nil
}

// put stores a message with a fresh id and the time now.
func (ss *Session) put(ctx context.Context, rid, body []byte) error {
	s := ss.srv
	m := store.Message{ID: randID(), Timestamp: s.now(), Body: body}
	return ss.commit(func() error { return s.cfg.Store.Put(ctx, rid, m, s.cfg.Quota) })
}

// found returns q when the lookup that filled it succeeded, else nil.
func found(q *store.Queue, err error) *store.Queue {
	if err != nil {
		return nil
	}
	return q
}

func (ss *Session) cmdSub(ctx context.Context, t *wire.Transmission, q *queueView) *wire.Transmission {
	if !ss.pushAllow {
		return errResp(t, wire.ErrCmdProhibited)
	}
	if !ss.holds(string(t.EntityID)) {
		if code := ss.admitSub(string(t.EntityID)); code != 0 {
			return errResp(t, code)
		}
	}
	ss.send(okResp(t))
	ss.srv.subscribe(ctx, string(t.EntityID), q, ss)
	ss.srv.used(string(t.EntityID), q)
	return nil
}

func (ss *Session) cmdAck(ctx context.Context, t *wire.Transmission, q *queueView) *wire.Transmission {
	if err := ss.commit(func() error { return ss.srv.cfg.Store.Ack(ctx, t.EntityID, t.MsgID) }); err != nil {
		if errors.Is(err, store.ErrNoMsg) {
			// Perhaps the delivered message expired before its ACK: NO_MSG,
			// then the next one, rather than a subscription stuck on it.
			ss.send(errResp(t, wire.ErrNoMsg))
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
		return errResp(t, wire.ErrCmdProhibited) // subscribed here: messages come as events
	}
	ss.srv.used(string(t.EntityID), q) // polling with GET keeps a queue, as SUB does
	m, err := ss.srv.cfg.Store.Peek(ctx, t.EntityID, ss.srv.notBefore())
	if err != nil {
		return ss.storeResp(t, err)
	}
	return q.msg(string(t.EntityID), m, t.CorrID)
}
