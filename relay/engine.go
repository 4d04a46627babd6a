package relay

import (
	"context"
	"sync"

	"github.com/sxweb/sxweb/relay/wire"
)

// HandleFrame processes one client batch frame: responses and events are
// queued on the session (NextFrame). A malformed frame or transmission gets
// ERR CMD_SYNTAX (or CMD_UNKNOWN) and the session continues.
func (ss *Session) HandleFrame(ctx context.Context, frame []byte) {
	body, err := wire.BatchBody(frame)
	if err != nil {
		ss.sendErr(nil, nil, wire.ErrCMD_SYNTAX)
		return
	}
	ss.handleBody(ctx, body)
}

func (ss *Session) handleBody(ctx context.Context, body []byte) {
	raws, err := wire.SplitBatch(body)
	// Transmissions on the same entity run in order in one goroutine;
	// different entities run concurrently so their store writes share a
	// group commit.
	groups := map[string][][]byte{}
	var order []string
	var solo [][]byte
	for _, raw := range raws {
		key, ok := entityKey(raw)
		if !ok {
			solo = append(solo, raw)
			continue
		}
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], raw)
	}
	var wg sync.WaitGroup
	run := func(rs [][]byte) {
		defer wg.Done()
		for _, r := range rs {
			ss.handleRaw(ctx, r)
		}
	}
	for _, k := range order {
		wg.Add(1)
		go run(groups[k])
	}
	for _, r := range solo {
		wg.Add(1)
		go run([][]byte{r})
	}
	wg.Wait()
	if err != nil {
		ss.sendErr(nil, nil, wire.ErrCMD_SYNTAX) // framing error: the rest of the frame is dropped
	}
}

// entityKey returns the entity id of a raw transmission for grouping.
func entityKey(raw []byte) (string, bool) {
	t, err := wire.Decode(raw)
	if t.EntityID == nil && err != nil {
		return "", false
	}
	if t.EntityID == nil {
		return "", false
	}
	return string(t.EntityID), true
}

func (ss *Session) sendErr(corr, entity []byte, code wire.ErrCode) {
	ss.send(&wire.Transmission{CorrID: corr, EntityID: entity, Code: wire.ERR, Err: code})
}

func (ss *Session) handleRaw(ctx context.Context, raw []byte) {
	t, err := wire.Decode(raw)
	if err != nil {
		code := wire.ErrCMD_SYNTAX
		if isUnknown(err) {
			code = wire.ErrCMD_UNKNOWN
		}
		ss.sendErr(t.CorrID, t.EntityID, code)
		return
	}
	if !t.Code.IsClient() {
		ss.sendErr(t.CorrID, t.EntityID, wire.ErrCMD_PROHIBITED)
		return
	}
	resp := ss.dispatch(ctx, &t)
	if resp != nil {
		ss.send(resp)
	}
}

// dispatch runs one command. It returns the response to queue, or nil when
// the handler queued its own (it must queue the response before any event
// it causes, e.g. OK before the MSG a SUB delivers).
func (ss *Session) dispatch(ctx context.Context, t *wire.Transmission) *wire.Transmission {
	needEntity := t.Code != wire.NEW && t.Code != wire.PING
	if needEntity != (t.EntityID != nil) {
		return errResp(t, wire.ErrCMD_SYNTAX)
	}
	if t.Auth == nil && t.Code != wire.PING && t.Code != wire.SEND {
		return errResp(t, wire.ErrNO_AUTH)
	}
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
		return errResp(t, wire.ErrAUTH)
	}
	switch t.Code {
	case wire.SUB:
		return ss.cmdSub(ctx, t, q)
	case wire.ACK:
		return ss.cmdAck(ctx, t, q)
	case wire.GET:
		return ss.cmdGet(ctx, t, q)
	case wire.OFF:
		return ss.storeResp(t, ss.srv.cfg.Store.Suspend(ctx, t.EntityID))
	case wire.DEL:
		err := ss.srv.cfg.Store.Delete(ctx, t.EntityID)
		if err == nil {
			ss.send(okResp(t))
			ss.srv.deleted(string(t.EntityID), ss)
			return nil
		}
		return ss.storeResp(t, err)
	}
	return errResp(t, wire.ErrCMD_UNKNOWN)
}

func errResp(t *wire.Transmission, code wire.ErrCode) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.ERR, Err: code}
}

func okResp(t *wire.Transmission) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.OK}
}
