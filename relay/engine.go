package relay

import (
	"context"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/wire"
)

// maxInflight bounds the transmissions of one session being handled at
// once; the transport stops reading while it is reached.
const maxInflight = 8192

// HandleFrame queues the transmissions of one client batch frame for
// handling and returns; responses and events are queued on the session
// (NextFrame). Transmissions on one entity id run in the order received,
// also across frames; the others run concurrently, so the store writes of
// many frames share one group commit. A malformed frame or transmission
// gets ERR CMD_SYNTAX (or CMD_UNKNOWN) and the session continues.
func (ss *Session) HandleFrame(ctx context.Context, frame []byte) {
	body, err := wire.BatchBody(frame)
	if err != nil {
		ss.sendErr(nil, nil, wire.ErrCmdSyntax)
		return
	}
	ss.handleBody(ctx, body)
}

// Wait waits until every transmission handed to HandleFrame was handled.
func (ss *Session) Wait() { ss.running.Wait() }

func (ss *Session) handleBody(ctx context.Context, body []byte) {
	ss.working() // until every transmission of the frame is queued
	defer ss.idle()
	for len(body) > 0 {
		raw, rest, err := wire.NextRaw(body)
		if err != nil {
			// Framing error: the rest of the frame is dropped, after the
			// transmissions before it.
			ss.running.Add(1)
			ss.sem <- struct{}{}
			go func() {
				defer ss.done("")
				ss.sendErr(nil, nil, wire.ErrCmdSyntax)
			}()
			return
		}
		body = rest
		ss.start(ctx, raw)
	}
}

// start runs raw now, or after the transmissions already running or
// waiting on the same entity.
func (ss *Session) start(ctx context.Context, raw []byte) {
	ss.running.Add(1)
	select {
	case ss.sem <- struct{}{}:
	default: // maxInflight reached: the frame waits, and is not runnable meanwhile
		ss.idle()
		ss.sem <- struct{}{}
		ss.working()
	}
	key, ok := entityKey(raw)
	if ok {
		ss.runMu.Lock()
		if q, busy := ss.chains[key]; busy {
			ss.chains[key] = append(q, raw)
			ss.runMu.Unlock()
			return
		}
		ss.chains[key] = nil
		ss.runMu.Unlock()
	}
	ss.working()
	job := func() { ss.run(ctx, key, raw) }
	select {
	case ss.srv.jobs <- job: // workers outlive every session (see Close)
	default: // queue full, every worker taken: neither this job nor the frame runs meanwhile
		ss.idle()
		ss.idle()
		ss.srv.jobs <- job
		ss.working()
		ss.working()
	}
}

// run handles raw and then the transmissions chained behind it. A
// transmission's last response is queued after the job stops counting as
// runnable when nothing is chained behind it, so the writer does not wait
// for the job's return to write it (coalesce.go).
func (ss *Session) run(ctx context.Context, key string, raw []byte) {
	for {
		resp := ss.handleRaw(ctx, raw)
		last := key == "" || ss.chainEmpty(key)
		if last {
			ss.idle()
		}
		if resp != nil {
			ss.send(resp) // before the chain entry goes: per-entity order
		}
		if key == "" {
			ss.done("")
			return
		}
		ss.runMu.Lock()
		q := ss.chains[key]
		if len(q) == 0 {
			delete(ss.chains, key)
			ss.runMu.Unlock()
			ss.done(key)
			if !last {
				ss.idle()
			}
			return
		}
		raw = q[0]
		ss.chains[key] = q[1:]
		ss.runMu.Unlock()
		ss.done(key)
		if last { // one was chained meanwhile
			ss.working()
		}
	}
}

// chainEmpty reports whether no transmission waits behind the running one on key.
func (ss *Session) chainEmpty(key string) bool {
	ss.runMu.Lock()
	defer ss.runMu.Unlock()
	return len(ss.chains[key]) == 0
}

func (ss *Session) done(string) {
	<-ss.sem
	ss.running.Done()
}

// entityKey returns the entity id of a raw transmission, if it has one.
func entityKey(raw []byte) (string, bool) {
	t, _ := wire.Decode(raw)
	if t.EntityID == nil {
		return "", false
	}
	return string(t.EntityID), true
}

func (ss *Session) sendErr(corr, entity []byte, code wire.ErrCode) {
	ss.send(&wire.Transmission{CorrID: corr, EntityID: entity, Code: wire.ERR, Err: code})
}

// handleRaw runs one transmission and returns its response for the caller
// to queue, or nil when the handler queued its own.
func (ss *Session) handleRaw(ctx context.Context, raw []byte) *wire.Transmission {
	t, err := wire.Decode(raw)
	if code := rules.Precheck(&t, err); code != 0 {
		return errResp(&t, code)
	}
	return ss.dispatch(ctx, &t)
}

// dispatch runs one command that passed rules.Precheck. It returns the
// response to queue, or nil when the handler queued its own (it must
// queue the response before any event it causes, e.g. OK before the MSG a
// SUB delivers).
func (ss *Session) dispatch(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	switch t.Code {
	case wire.PING:
		return &wire.Transmission{CorrID: t.CorrID, Code: wire.PONG}
	case wire.NEW:
		return ss.cmdNew(ctx, t)
	case wire.SKEY:
		return ss.cmdSKey(ctx, t)
	case wire.SEND:
		return ss.cmdSend(ctx, t)
	}
	q, ok := ss.srv.recipientQueue(ctx, ss.id[:], t)
	if !ok {
		return errResp(t, wire.ErrAuth)
	}
	switch t.Code {
	case wire.SUB:
		return ss.cmdSub(ctx, t, q)
	case wire.ACK:
		return ss.cmdAck(ctx, t, q)
	case wire.GET:
		return ss.cmdGet(ctx, t, q)
	case wire.OFF:
		return ss.storeResp(t, ss.commit(func() error { return ss.srv.cfg.Store.Suspend(ctx, t.EntityID) }))
	case wire.DEL:
		err := ss.commit(func() error { return ss.srv.cfg.Store.Delete(ctx, t.EntityID) })
		if err == nil {
			ss.send(okResp(t))
			ss.srv.deleted(string(t.EntityID), ss)
			return nil
		}
		return ss.storeResp(t, err)
	}
	return errResp(t, wire.ErrCmdUnknown)
}

func errResp(t *wire.Transmission, code wire.ErrCode) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.ERR, Err: code}
}

func okResp(t *wire.Transmission) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.OK}
}
