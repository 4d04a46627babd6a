package cfworker

import (
	"context"
	"sync"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/wire"
)

// Caller runs one transmission in the queue req.Route names (in the
// Worker: a fetch to that queue's Durable Object) and returns the encoded
// transmissions for the caller.
type Caller func(ctx context.Context, req QueueReq) ([][]byte, error)

// Session is who sends a frame.
type Session struct {
	ID   [wire.SessionIDLen]byte
	Push bool // a WebSocket session; false for an HTTP POST
}

// HandleFrame handles one client batch frame and returns the frames to
// send back (each at most wire.MaxFrame bytes). Malformed input gets ERR
// CMD_SYNTAX (or CMD_UNKNOWN), as in package relay.
func (e *Engine) HandleFrame(ctx context.Context, s Session, frame []byte, call Caller) [][]byte {
	return e.StartFrame(ctx, s, NewOrderer(), frame, call)()
}

// StartFrame is HandleFrame in two steps (see StartBody).
func (e *Engine) StartFrame(ctx context.Context, s Session, o *Orderer, frame []byte, call Caller) func() [][]byte {
	body, err := wire.BatchBody(frame)
	if err != nil {
		out := PackFrames([][]byte{encodeT(&wire.Transmission{Code: wire.ERR, Err: wire.ErrCmdSyntax})})
		return func() [][]byte { return out }
	}
	wait := e.StartBody(ctx, s, o, body, call)
	return func() [][]byte { return PackFrames(wait()) }
}

// HandleBody handles the transmissions of a batch body and returns the
// encoded responses, in the order of the transmissions. Transmissions on
// one entity run in order; the others run concurrently.
func (e *Engine) HandleBody(ctx context.Context, s Session, body []byte, call Caller) [][]byte {
	return e.StartBody(ctx, s, NewOrderer(), body, call)()
}

// StartBody is HandleBody in two steps, for a session whose frames are
// handled concurrently: it queues the transmissions behind those already
// queued on o for the same entities (also from earlier frames) without
// blocking, and returns a function that waits for their responses.
func (e *Engine) StartBody(ctx context.Context, s Session, o *Orderer, body []byte, call Caller) func() [][]byte {
	var raws [][]byte
	framingErr := false
	for len(body) > 0 {
		raw, rest, err := wire.NextRaw(body)
		if err != nil { // the rest of the frame is dropped
			framingErr = true
			break
		}
		raws, body = append(raws, raw), rest
	}
	outs := make([][][]byte, len(raws))
	var wg sync.WaitGroup
	for i, raw := range raws {
		t, _ := wire.Decode(raw)
		wait, done := o.enter(t.EntityID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done()
			wait()
			outs[i] = e.handleRaw(ctx, s, o, raw, call)
		}()
	}
	return func() [][]byte {
		wg.Wait()
		var all [][]byte
		for _, o := range outs {
			all = append(all, o...)
		}
		if framingErr {
			all = append(all, encodeT(&wire.Transmission{Code: wire.ERR, Err: wire.ErrCmdSyntax}))
		}
		return all
	}
}

// Orderer keeps the transmissions of one session on one entity in the
// order they arrived, across frames, and holds the session's allowance
// for creating queues (Config.NewBurst, NewRate). It lives as long as the
// session's Go instance: with kept instances, until the session was idle
// for RELAY_SESSION_KEEP_MS; with a fresh instance per frame, one frame.
type Orderer struct {
	mu    sync.Mutex
	tails map[string]chan struct{} // entity → closed when its last queued transmission is done
	newB  rules.Bucket             // NEW allowance (under mu)
}

// takeNew takes one NEW from the session's allowance.
func (o *Orderer) takeNew(cfg *Config) bool {
	if cfg.NewBurst < 0 {
		return true
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.newB.Take(cfg.Now(), cfg.NewBurst, cfg.NewRate)
}

// NewOrderer returns an empty Orderer.
func NewOrderer() *Orderer { return &Orderer{tails: map[string]chan struct{}{}} }

// enter queues one transmission on entity (nil: no order to keep): wait
// blocks until those before it are done; done must be called after it ran.
func (o *Orderer) enter(entity []byte) (wait, done func()) {
	if entity == nil {
		return func() {}, func() {}
	}
	key := string(entity)
	mine := make(chan struct{})
	o.mu.Lock()
	prev := o.tails[key]
	o.tails[key] = mine
	o.mu.Unlock()
	wait = func() {
		if prev != nil {
			<-prev
		}
	}
	done = func() {
		close(mine)
		o.mu.Lock()
		if o.tails[key] == mine {
			delete(o.tails, key)
		}
		o.mu.Unlock()
	}
	return wait, done
}

func (e *Engine) handleRaw(ctx context.Context, s Session, o *Orderer, raw []byte, call Caller) [][]byte {
	t, err := wire.Decode(raw)
	one := func(r *wire.Transmission) [][]byte { return [][]byte{encodeT(r)} }
	if code := rules.Precheck(&t, err); code != 0 {
		return one(errT(&t, code))
	}
	if t.Code == wire.PING {
		return one(&wire.Transmission{CorrID: t.CorrID, Code: wire.PONG})
	}
	if t.Code == wire.NEW && s.Push && !o.takeNew(&e.cfg) {
		return one(errT(&t, wire.ErrRate))
	}
	req := QueueReq{Session: s.ID, Push: s.Push, Raw: raw}
	if t.Code == wire.NEW {
		req.Route = NewRoute()
	} else {
		req.Route, _ = e.cfg.Keys.RouteOf(t.EntityID)
	}
	out, err := call(ctx, req)
	if err != nil {
		return one(errT(&t, wire.ErrInternal))
	}
	return out
}

// PackFrames packs encoded transmissions into batch frames of at most
// wire.MaxFrame bytes.
func PackFrames(ts [][]byte) [][]byte {
	var frames [][]byte
	var f []byte
	for _, t := range ts {
		if f != nil && len(f)+len(t) > wire.MaxFrame {
			frames, f = append(frames, f), nil
		}
		if f == nil {
			f = wire.AppendBatchHeader(make([]byte, 0, 256))
		}
		f = append(f, t...)
	}
	if f != nil {
		frames = append(frames, f)
	}
	return frames
}
