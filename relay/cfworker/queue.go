package cfworker

import (
	"bytes"
	"context"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store/record"
	"github.com/sxweb/sxweb/relay/wire"
)

// QueueCmd runs one transmission against the queue whose storage is kv.
// Its caller must run the commands of one queue one at a time, store
// nothing else in kv, send resp.Out to the caller in order and then the
// pushes (calling Gone for a push whose session has gone). An error means
// storage failed; the caller answers ERR INTERNAL.
func (e *Engine) QueueCmd(ctx context.Context, kv KV, req QueueReq) (resp QueueResp, err error) {
	t, derr := wire.Decode(req.Raw)
	if derr != nil { // the session side checked it already
		resp.out(errT(&t, wire.ErrCmdSyntax))
		return resp, nil
	}
	st, err := e.load(ctx, kv)
	if err != nil {
		return resp, err
	}
	c := &cmd{e: e, kv: kv, req: &req, t: &t, st: st, resp: &resp}
	return resp, c.run(ctx)
}

// cmd is one command being run.
type cmd struct {
	e    *Engine
	kv   KV
	req  *QueueReq
	t    *wire.Transmission
	st   *queueState // nil: no queue here
	resp *QueueResp
	put  []Entry
	del  []string
	// alarmAt: when the oldest message expires, if this command made the
	// queue non-empty (0: leave the alarm as it is).
	alarmAt int64
}

func (e *Engine) load(ctx context.Context, kv KV) (*queueState, error) {
	v, err := kv.Get(ctx, keyQueue)
	if err != nil || v == nil {
		return nil, err
	}
	return decodeState(v)
}

func (c *cmd) run(ctx context.Context) error {
	switch c.t.Code {
	case wire.NEW:
		return c.cmdNew(ctx)
	case wire.SKEY:
		return c.cmdSKey(ctx)
	case wire.SEND:
		return c.cmdSend(ctx)
	}
	if c.t.Auth == nil {
		c.resp.out(errT(c.t, wire.ErrNoAuth))
		return nil
	}
	// A recipient command: the id must be this queue's recipient id (not
	// its sender id) and the tag by its recipient key (rules.Recipient).
	if !rules.Recipient(c.queueBy(c.st != nil && bytes.Equal(c.st.q.RecipientID, c.t.EntityID)), c.req.Session[:], c.t) {
		c.resp.out(errT(c.t, wire.ErrAuth))
		return nil
	}
	switch c.t.Code {
	case wire.SUB:
		return c.cmdSub(ctx)
	case wire.ACK:
		return c.cmdAck(ctx)
	case wire.GET:
		return c.cmdGet(ctx)
	case wire.OFF:
		c.st.q.Suspended = true
		return c.commit(ctx, okT(c.t))
	case wire.DEL:
		return c.cmdDel(ctx)
	}
	c.resp.out(errT(c.t, wire.ErrCmdUnknown))
	return nil
}

// commit stores the state and the collected writes, then queues first for
// the caller.
func (c *cmd) commit(ctx context.Context, first *wire.Transmission) error {
	if c.st != nil {
		c.put = append(c.put, Entry{keyQueue, c.st.encode()})
	}
	if err := c.kv.Write(ctx, c.put, c.del); err != nil {
		c.resp.Out, c.resp.Pushes = nil, nil
		return err
	}
	if a, ok := c.kv.(Alarmer); ok && c.alarmAt > 0 {
		// Best effort: without the alarm, expired messages are still
		// skipped and removed when the queue is next used.
		a.SetAlarm(ctx, c.alarmAt)
	}
	if first != nil {
		c.resp.Out = append([][]byte{encodeT(first)}, c.resp.Out...)
	}
	return nil
}

// queueBy returns the queue's record when the entity id named it (of the
// kind the command needs), else nil: the rules then do the same work and
// refuse.
func (c *cmd) queueBy(idMatches bool) *record.Queue {
	if !idMatches {
		return nil
	}
	return &c.st.q
}

func (c *cmd) cmdNew(ctx context.Context) error {
	t := c.t
	if t.EntityID != nil {
		c.resp.out(errT(t, wire.ErrCmdSyntax))
		return nil
	}
	q, srvPub, code := rules.NewQueue(c.e.cfg.Keys.Auth, c.req.Session[:], t, c.e.cfg.Now(), c.e.cfg.ActiveUnit)
	if code != 0 {
		c.resp.out(errT(t, code))
		return nil
	}
	if c.st != nil { // a route collision: 2^-128
		c.resp.out(errT(t, wire.ErrInternal))
		return nil
	}
	k := c.e.cfg.Keys
	q.RecipientID, q.SenderID = k.NewID(c.req.Route), k.NewID(c.req.Route)
	c.st = &queueState{q: q}
	if c.req.Push { // as in SMP, NEW subscribes the creating session
		c.st.sub = c.req.Session[:]
	}
	c.alarmAt = c.e.idleAt(q.Active) // an empty queue's alarm: when it would be idle
	return c.commit(ctx, &wire.Transmission{CorrID: t.CorrID, Code: wire.IDS,
		RecipientID: c.st.q.RecipientID, SenderID: c.st.q.SenderID, ServerDHKey: srvPub})
}

// cmdSKey: authenticated by the key being installed (rules.SKey), which
// is installed once (rules.Secure; the same key again is a retry).
func (c *cmd) cmdSKey(ctx context.Context) error {
	t := c.t
	q := c.queueBy(c.st != nil && bytes.Equal(c.st.q.SenderID, t.EntityID))
	mac, ok := rules.SKey(c.e.cfg.Keys.Auth, q, c.req.Session[:], t)
	if ok {
		var changed bool
		if changed, ok = rules.Secure(q, t.Key1, mac); changed {
			return c.commit(ctx, okT(t))
		}
	}
	if !ok {
		c.resp.out(errT(t, wire.ErrAuth))
		return nil
	}
	c.resp.out(okT(t)) // a retried SKEY
	return nil
}

func (c *cmd) cmdSend(ctx context.Context) error {
	t := c.t
	q := c.queueBy(c.st != nil && bytes.Equal(c.st.q.SenderID, t.EntityID))
	if code := rules.Send(q, c.e.cfg.MaxMsgSize, c.req.Session[:], t); code != 0 {
		c.resp.out(errT(t, code))
		return nil
	}
	if err := c.expire(ctx); err != nil {
		return err
	}
	ok, full := rules.Admit(int(c.st.count()), c.st.full, c.e.cfg.Quota)
	if c.st.full = full; !ok {
		c.resp.out(errT(t, wire.ErrQuota))
		return c.commit(ctx, nil)
	}
	m := record.Message{ID: randID(), Timestamp: c.e.now(), Body: t.Body}
	c.touch()
	if c.st.count() == 0 { // the oldest message's expiry comes before the idle time
		c.alarmAt = earliest(m.Timestamp+c.e.cfg.Expiry.Milliseconds(), c.e.idleAt(c.st.q.Active))
	}
	c.put = append(c.put, Entry{msgKey(c.st.next), encodeMsg(m)})
	c.st.next++
	if c.st.sub != nil && c.st.pending == nil {
		c.deliver(m, nil)
	}
	return c.commit(ctx, okT(t))
}

func (c *cmd) cmdSub(ctx context.Context) error {
	if !c.req.Push {
		c.resp.out(errT(c.t, wire.ErrCmdProhibited))
		return nil
	}
	if c.st.sub != nil && !bytes.Equal(c.st.sub, c.req.Session[:]) {
		c.push(c.st.sub, &wire.Transmission{EntityID: c.t.EntityID, Code: wire.END})
	}
	c.st.sub, c.st.pending = c.req.Session[:], nil
	c.touch()
	if err := c.deliverOldest(ctx, nil); err != nil {
		return err
	}
	return c.commit(ctx, okT(c.t))
}

func (c *cmd) cmdAck(ctx context.Context) error {
	msgs, err := c.messages(ctx)
	if err != nil {
		return err
	}
	i := 0
	for i < len(msgs) && !bytes.Equal(msgs[i].m.ID, c.t.MsgID) {
		i++
	}
	if i == len(msgs) {
		c.resp.out(errT(c.t, wire.ErrNoMsg))
		return nil
	}
	for _, x := range msgs[:i+1] { // the message and every one before it
		c.del = append(c.del, x.key)
	}
	c.st.first = msgs[i].seq + 1
	c.st.full = rules.Drained(c.st.full, int(c.st.count()))
	if c.st.sub != nil {
		keep := c.st.pending
		c.st.pending = nil
		if err := c.deliverOldest(ctx, keep); err != nil {
			return err
		}
	}
	return c.commit(ctx, okT(c.t))
}

func (c *cmd) cmdGet(ctx context.Context) error {
	if bytes.Equal(c.st.sub, c.req.Session[:]) {
		c.resp.out(errT(c.t, wire.ErrCmdProhibited)) // subscribed here: messages come as events
		return nil
	}
	m, ok, err := c.oldest(ctx)
	switch {
	case err != nil:
		return err
	case !ok:
		c.resp.out(errT(c.t, wire.ErrNoMsg))
	default:
		c.resp.out(c.msgT(m, c.t.CorrID))
	}
	if c.touch() { // polling with GET keeps a queue, as SUB does
		return c.commit(ctx, nil)
	}
	return nil
}

// touch records today as the queue's last active day, at most once a day
// (rules.Touch), and reports whether it did. An empty queue's alarm then
// moves to when it would be idle; with messages, the alarm rings first for
// the oldest one's expiry and sets the next (Expire).
func (c *cmd) touch() bool {
	today := c.e.today()
	if !rules.Touch(c.st.q.Active, today) {
		return false
	}
	c.st.q.Active = today
	if c.st.count() == 0 {
		c.alarmAt = c.e.idleAt(today)
	}
	return true
}

// earliest returns the earlier of two alarm times (0: none).
func earliest(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

func (c *cmd) cmdDel(ctx context.Context) error {
	if c.st.sub != nil && !bytes.Equal(c.st.sub, c.req.Session[:]) {
		c.push(c.st.sub, &wire.Transmission{EntityID: c.t.EntityID, Code: wire.DELD})
	}
	if err := c.dropAll(ctx); err != nil {
		return err
	}
	return c.commit(ctx, okT(c.t))
}

// dropAll deletes the queue and its messages (with the next commit).
func (c *cmd) dropAll(ctx context.Context) error {
	msgs, err := c.messages(ctx)
	if err != nil {
		return err
	}
	for _, x := range msgs {
		c.del = append(c.del, x.key)
	}
	c.del = append(c.del, keyQueue)
	c.st = nil
	return nil
}

// Expire runs when the queue's alarm rings: it removes the expired
// messages, and if the subscriber's unacknowledged message was among them
// delivers the next (as a push). A queue neither subscribed (by a session
// alive says still has its socket), read nor sent to for QueueExpiry is
// deleted with its messages. The alarm is set again for the next
// message's expiry or the queue's idle time, whichever comes first.
func (e *Engine) Expire(ctx context.Context, kv KV, alive func(session []byte) bool) (QueueResp, error) {
	var resp QueueResp
	st, err := e.load(ctx, kv)
	if err != nil || st == nil {
		return resp, err
	}
	c := &cmd{e: e, kv: kv, req: &QueueReq{}, st: st, resp: &resp}
	if st.q.Active == 0 { // stored before queues had a day: from now on
		st.q.Active = e.today()
	}
	if rules.IdleOf(st.q.Active, e.cfg.Now(), e.cfg.QueueExpiry, e.cfg.ActiveUnit) {
		if st.sub == nil || alive == nil || !alive(st.sub) {
			if err := c.dropAll(ctx); err != nil {
				return resp, err
			}
			return resp, c.commit(ctx, nil)
		}
		st.q.Active = e.today() // subscribed all along: in use
	}
	if err := c.expire(ctx); err != nil {
		return resp, err
	}
	m, ok, err := c.oldest(ctx)
	if err != nil {
		return resp, err
	}
	c.alarmAt = e.idleAt(st.q.Active)
	if ok {
		c.alarmAt = earliest(m.Timestamp+e.cfg.Expiry.Milliseconds(), c.alarmAt)
	}
	if st.pending != nil && (!ok || !bytes.Equal(st.pending, m.ID)) {
		st.pending = nil // it expired before it was acknowledged
		if st.sub != nil && ok {
			c.deliver(m, nil)
		}
	}
	return resp, c.commit(ctx, nil)
}

// Gone clears the subscription of a session that has no WebSocket any
// more (a push to it failed with ErrGone).
func (e *Engine) Gone(ctx context.Context, kv KV, session []byte) error {
	st, err := e.load(ctx, kv)
	if err != nil || st == nil || !bytes.Equal(st.sub, session) {
		return err
	}
	st.sub, st.pending = nil, nil
	return kv.Write(ctx, []Entry{{keyQueue, st.encode()}}, nil)
}
