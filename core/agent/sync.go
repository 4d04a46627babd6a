package agent

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
)

// Ratchet re-synchronization (docs/agent-protocol.md §6.1). A connection
// whose ratchet cannot decrypt the peer's messages (one side restored an
// older copy of its state) starts a fresh double ratchet over the same
// queues: one side sends fresh key-agreement keys (a request), the other
// answers with a joiner's hello, both switch. Sync messages travel in the
// per-queue box only. The side whose request has the lower hash plays the
// inviter, so two requests crossing converge on one of them.
//
// Every relay queue delivers in order, and a side seals nothing while its
// request waits: so on each queue the sync message is the exact point
// where the old ratchet ends and the new one starts. A responder switches
// when it answers, a requester when the answer arrives.

// Sync states of a connection (syncState.State).
const (
	syncRequired  = "required"  // a sync is needed; the cooldown holds it back
	syncRequested = "requested" // our request went out; waiting for the answer
)

// syncSeen is how many request hashes a connection remembers (replays of
// them are refused).
const syncSeen = 8

// syncStreakReset: a sync more than this after the previous one starts a
// new streak (no cooldown).
const syncStreakReset = 24 * time.Hour

// syncBatch bounds the deferred syncs one transaction starts (fewer when
// it runs out of its background budget, see yield).
const syncBatch = 256

// syncState is a connection's re-synchronization record (persisted with
// the connection).
type syncState struct {
	State  string    `json:",omitempty"`
	Secret []byte    `json:",omitempty"` // requested: our ratchet.InvitationSecret
	Req    []byte    `json:",omitempty"` // requested: the hash of our request
	Peer   []byte    `json:",omitempty"` // required: the peer's request held back by the cooldown
	At     time.Time `json:",omitzero"`  // when the last sync started
	Streak int       `json:",omitempty"` // syncs in a row (each doubles the cooldown)
	Seen   [][]byte  `json:",omitempty"` // hashes of recent requests, ours and the peer's
	Failed int       `json:",omitempty"` // peer messages not delivered since the ratchet broke
	Epoch  uint32    `json:",omitempty"` // ratchets started by a sync on this connection
	// Rejected counts sync messages refused (malformed, replayed,
	// unexpected); Limited the syncs the cooldown held back.
	Rejected int `json:",omitempty"`
	Limited  int `json:",omitempty"`
	// Unsent: messages a restored copy found sealed in its outbox and did
	// not send (dropStale); failed with CodeRestored once the sync is done.
	Unsent []unsent `json:",omitempty"`
}

// unsent is a message of Unsent: what its SendFailed needs.
type unsent struct {
	API uint64
	Tag string `json:",omitempty"`
}

func (s *syncState) clone() *syncState {
	n := *s
	n.Seen = slices.Clone(s.Seen)
	n.Unsent = slices.Clone(s.Unsent)
	return &n
}

func (s *syncState) seen(h []byte) bool {
	return slices.ContainsFunc(s.Seen, func(x []byte) bool { return bytes.Equal(x, h) })
}

func (s *syncState) remember(h []byte) {
	s.Seen = append(s.Seen, h)
	if len(s.Seen) > syncSeen {
		s.Seen = s.Seen[len(s.Seen)-syncSeen:]
	}
}

// begin starts a sync at now (for the cooldown of the next one).
func (s *syncState) begin(now time.Time) {
	if now.Sub(s.At) > syncStreakReset {
		s.Streak = 0
	}
	s.At, s.Streak = now, s.Streak+1
}

func (c *conn) syncState() string {
	if c.Sync == nil {
		return ""
	}
	return c.Sync.State
}

func (c *conn) epoch() uint32 {
	if c.Sync == nil {
		return 0
	}
	return c.Sync.Epoch
}

// sync returns c's sync record, made on first use (c is a transaction's copy).
func (c *conn) sync() *syncState {
	if c.Sync == nil {
		c.Sync = &syncState{}
	}
	return c.Sync
}

// syncDue is when the cooldown after s's last sync ends (zero: none).
func (a *Agent) syncDue(s *syncState, now time.Time) time.Time {
	if s == nil || s.Streak == 0 || now.Sub(s.At) > syncStreakReset {
		return time.Time{}
	}
	d := a.cfg.SyncMaxInterval
	if s.Streak-1 < 30 {
		d = min(d, a.cfg.SyncInterval<<(s.Streak-1))
	}
	return s.At.Add(d)
}

// syncable: c has a working handshake and this agent still holds it.
func (t *Tx) syncable(c *conn) bool {
	return c.State == stConnected && c.Snd != nil && !c.Deleting && c.Ratchet != nil && !t.a.isMoved(c.RcvQueue)
}

// broken: a message of the peer shows that the ratchets no longer agree
// (it could not be decrypted, or its number or chain only a stale state
// explains). failed: it was not delivered (counted for the report). A
// sync starts, or waits for the cooldown, unless one is under way.
func (t *Tx) broken(c *conn, failed bool, why string) ([]Event, error) {
	if !t.syncable(c) {
		return nil, nil
	}
	s := c.sync()
	if failed {
		s.Failed++
	}
	if s.State != "" {
		return nil, nil
	}
	t.a.logf("agent: %s: ratchet out of step (%s): re-synchronizing", c.ID, why)
	now := time.Now()
	if due := t.a.syncDue(s, now); now.Before(due) {
		s.State = syncRequired
		s.Limited++
		t.deferSync(c.ID, due)
		return []Event{RatchetSync{ConnID: c.ID, State: SyncRequired}}, nil
	}
	return t.request(c, now)
}

// request sends fresh keys to the peer (the requester's side).
func (t *Tx) request(c *conn, now time.Time) ([]Event, error) {
	secret, keys, err := ratchet.NewInvitation()
	if err != nil {
		return nil, err
	}
	kb, _ := keys.MarshalBinary()
	sb, _ := secret.MarshalBinary()
	b, err := (&envelope.Sync{Kind: envelope.SyncKeys, Sent: c.SndApp, Keys: kb}).Encode()
	if err != nil {
		return nil, err
	}
	if err := t.addSync(c, b); err != nil {
		return nil, err
	}
	h := envelope.Hash(b)
	s := c.sync()
	s.State, s.Secret, s.Req, s.Peer = syncRequested, sb, h[:], nil
	s.remember(h[:])
	s.begin(now)
	t.undefer(c.ID)
	return []Event{RatchetSync{ConnID: c.ID, State: SyncStarted}}, nil
}

// receiveSync handles a sync message of the peer (opened from the box).
func (t *Tx) receiveSync(c *conn, body []byte) ([]Event, error) {
	m, err := envelope.DecodeSync(body)
	if err != nil {
		return t.rejectSync(c, err.Error()), nil
	}
	if !t.syncable(c) {
		return t.rejectSync(c, "sync message on a connection that is not connected"), nil
	}
	h := envelope.Hash(body)
	if m.Kind == envelope.SyncAnswer {
		return t.receiveAnswer(c, m, h)
	}
	s := c.sync()
	if s.seen(h[:]) {
		return t.rejectSync(c, "replayed sync request"), nil
	}
	var keys ratchet.InvitationKeys
	if err := keys.UnmarshalBinary(m.Keys); err != nil {
		return t.rejectSync(c, err.Error()), nil
	}
	s.remember(h[:])
	now := time.Now()
	switch s.State {
	case syncRequested: // both asked at once: the lower hash is the inviter
		if bytes.Compare(s.Req, h[:]) < 0 {
			t.a.logf("agent: %s: crossing sync requests; ours stands", c.ID)
			return nil, nil
		}
		return t.answer(c, m, h, keys)
	case syncRequired:
		if due := t.a.syncDue(s, now); now.Before(due) {
			s.Peer = body
			s.Limited++
			return nil, nil
		}
	default:
		if due := t.a.syncDue(s, now); now.Before(due) {
			s.State, s.Peer = syncRequired, body
			s.Limited++
			t.deferSync(c.ID, due)
			return []Event{RatchetSync{ConnID: c.ID, State: SyncRequired}}, nil
		}
	}
	s.begin(now)
	return t.answer(c, m, h, keys)
}

// answer joins the peer's request: a fresh ratchet as the joiner, the
// answer queued before anything sealed with it, and the switch.
func (t *Tx) answer(c *conn, m *envelope.Sync, reqHash [envelope.HashLen]byte, keys ratchet.InvitationKeys) ([]Event, error) {
	r, hello, err := ratchet.InitJoiner(keys)
	if err != nil {
		return t.rejectSync(c, err.Error()), nil
	}
	hb, _ := hello.MarshalBinary()
	b, err := (&envelope.Sync{Kind: envelope.SyncAnswer, Sent: c.SndApp, ReqHash: reqHash, Hello: hb}).Encode()
	if err != nil {
		return nil, err
	}
	t.dropRequest(c)
	if err := t.addSync(c, b); err != nil {
		return nil, err
	}
	return t.switchRatchet(c, r, m.Sent, envelope.Hash(b), reqHash)
}

// receiveAnswer completes our request.
func (t *Tx) receiveAnswer(c *conn, m *envelope.Sync, h [envelope.HashLen]byte) ([]Event, error) {
	s := c.sync()
	if s.State != syncRequested || !bytes.Equal(s.Req, m.ReqHash[:]) {
		return t.rejectSync(c, "sync answer to no request of ours"), nil
	}
	var hello ratchet.JoinerHello
	if err := hello.UnmarshalBinary(m.Hello); err != nil {
		return t.rejectSync(c, err.Error()), nil
	}
	var secret ratchet.InvitationSecret
	if err := secret.UnmarshalBinary(s.Secret); err != nil {
		return nil, err
	}
	r, err := ratchet.InitInviter(&secret, hello)
	if err != nil {
		return t.rejectSync(c, err.Error()), nil
	}
	return t.switchRatchet(c, r, m.Sent, [envelope.HashLen]byte(s.Req), h)
}

// switchRatchet puts r in place of c's ratchet: both message chains
// restart (number 0, the previous hash being that of the last sync
// message of that direction), what the old ratchet left unconfirmed or
// undelivered is counted in the report, and what waited is sealed now.
func (t *Tx) switchRatchet(c *conn, r *ratchet.Ratchet, peerSent uint64, sndHash, rcvHash [envelope.HashLen]byte) ([]Event, error) {
	st, err := r.MarshalBinary()
	if err != nil {
		return nil, err
	}
	s := c.sync()
	lost := s.Failed
	if peerSent > c.RcvApp {
		lost = max(lost, int(min(peerSent-c.RcvApp, 1<<31)))
	}
	ev := RatchetSync{ConnID: c.ID, State: SyncDone, Lost: lost, Unconfirmed: t.dropSent(c.ID) + len(s.Unsent)}
	evs := []Event{ev}
	for _, u := range s.Unsent {
		evs = append(evs, SendFailed{ConnID: c.ID, MsgNum: u.API, Tag: u.Tag, Code: CodeRestored})
	}
	s.Unsent = nil
	t.setRatchet(c, st)
	c.SndWire, c.SndHash, c.RcvWire, c.RcvHash, c.Rcpts = 0, sndHash, 0, rcvHash, nil
	c.SndApp, c.RcvApp = 0, 0
	s.State, s.Secret, s.Req, s.Peer, s.Failed = "", nil, nil, nil, 0
	s.Epoch++
	t.undefer(c.ID)
	if err := t.sealQueued(c); err != nil {
		return nil, err
	}
	t.sealKick = true
	return evs, nil
}

// rejectSync counts and reports a refused sync message.
func (t *Tx) rejectSync(c *conn, why string) []Event {
	c.sync().Rejected++
	t.a.logf("agent: %s: sync message refused: %s", c.ID, why)
	return []Event{Integrity{ConnID: c.ID, Kind: IntegrityBadSync, Reason: why}}
}

// addSync queues a sync message for the peer, boxed now, ahead of every
// message still waiting to be sealed (they will be sealed with the ratchet
// it starts).
func (t *Tx) addSync(c *conn, msg []byte) error {
	inner, err := (&envelope.Inner{Tag: envelope.InnerSync, Body: msg}).Encode()
	if err != nil {
		return err
	}
	k, err := t.a.sharedKey(c.Snd.E2EPriv, c.Snd.E2EPeer)
	if err != nil {
		return err
	}
	var key []byte
	if c.firstOnQueue() {
		key = c.Snd.E2EPub
	}
	env, err := envelope.Seal(k, key, inner)
	if err != nil {
		return err
	}
	it := &outItem{ConnID: c.ID, Kind: outSync, Sealed: true, Body: env,
		Server: c.Snd.Server, SenderID: c.Snd.SenderID, AuthKey: c.Snd.AuthKey}
	for _, x := range t.pendingOut(c.ID) {
		if t.needsSeal(x) {
			it.Pos = x.Seq
			break
		}
	}
	t.addOut(it)
	return nil
}

// dropRequest removes our own request from the outbox if it has not gone
// out (we answer the peer's instead).
func (t *Tx) dropRequest(c *conn) {
	for _, it := range t.pendingOut(c.ID) {
		if it.Kind == outSync && !it.inflight && !t.removed[it] {
			t.removeOut(it)
		}
	}
}

// dropSent forgets the receipts still expected for messages of the old
// ratchet (the new chain reuses their numbers) and returns how many.
func (t *Tx) dropSent(connID string) int {
	a := t.a
	n := 0
	for w := range a.sent[connID] {
		t.Del(bSent, sentKey(connID, w))
		n++
	}
	for _, w := range t.sentNow[connID] {
		if _, ok := a.sent[connID][w]; !ok {
			t.Del(bSent, sentKey(connID, w))
			n++
		}
	}
	t.after = append(t.after, func() { delete(a.sent, connID) })
	return n
}

// deferSync and undefer keep a.deferred (connections whose sync waits for
// the cooldown) in step with the commit.
func (t *Tx) deferSync(id string, due time.Time) {
	a := t.a
	t.after = append(t.after, func() { a.deferred[id] = due })
}

func (t *Tx) undefer(id string) {
	a := t.a
	t.after = append(t.after, func() { delete(a.deferred, id) })
}

// loadSyncs rebuilds a.deferred at Start.
func (a *Agent) loadSyncs() {
	for id, c := range a.conns {
		if c.syncState() == syncRequired {
			a.deferred[id] = a.syncDue(c.Sync, time.Now())
		}
	}
}

// runDeferredSyncs starts the syncs whose cooldown is over (from the
// receipt loop's ticker).
func (a *Agent) runDeferredSyncs() error {
	a.mu.Lock()
	now, due := time.Now(), false
	for _, at := range a.deferred {
		if !now.Before(at) {
			due = true
			break
		}
	}
	a.mu.Unlock()
	if !due {
		return nil
	}
	return a.transact(a.ctx, func(t *Tx) error {
		now, n := time.Now(), 0
		for id, at := range a.deferred {
			if n >= syncBatch || n > 0 && a.yield(now) {
				break // the rest on the next tick
			}
			if now.Before(at) {
				continue
			}
			n++
			evs, err := t.resumeSync(id, now)
			if err != nil {
				return err
			}
			for _, ev := range evs {
				if err := t.handle(ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// resumeSync starts a held-back sync: it answers the peer's request if one
// came meanwhile, else sends ours.
func (t *Tx) resumeSync(id string, now time.Time) ([]Event, error) {
	c := t.conn(id)
	if c == nil || c.syncState() != syncRequired || !t.syncable(c) {
		t.undefer(id)
		return nil, nil
	}
	s := c.Sync
	if peer := s.Peer; peer != nil {
		s.Peer = nil
		m, err := envelope.DecodeSync(peer)
		var keys ratchet.InvitationKeys
		if err == nil {
			err = keys.UnmarshalBinary(m.Keys)
		}
		if err == nil {
			s.begin(now)
			return t.answer(c, m, envelope.Hash(peer), keys)
		}
	}
	return t.request(c, now) // begins the sync
}

// resyncAll (Config.Restored, at Start) marks every connection to
// re-synchronize at once, before the sealer runs: the requests go out from
// the receipt loop's first tick, syncBatch per commit. A sync the copy had
// requested is requested anew (the peer's answer may have gone to the
// other copy), and what the copy had sealed under its old ratchet is not
// sent (dropStale).
func (a *Agent) resyncAll(ctx context.Context) error {
	t := a.newTx(ctx, nil)
	for id := range a.conns {
		if !t.syncable(t.peek(id)) {
			continue
		}
		c := t.conn(id)
		s := c.sync()
		s.State = syncRequired
		s.Unsent = append(s.Unsent, t.dropStale(c)...)
		t.deferSync(id, time.Time{})
	}
	mb, mk := RestoredMark()
	t.Del(mb, mk) // with the syncs it asked for, in one commit
	return a.commit(t)
}

// dropStale removes from a restored copy's outbox what its original had
// sealed (messages, receipts, its own sync request) and not yet seen
// sent. The original may well have sent it since: sent again, the peer
// would find a ratchet key used twice (a duplicate) and take it for a
// restore of its own, or answer a request the copy no longer holds. The
// messages among them are returned, to be reported failed.
func (t *Tx) dropStale(c *conn) []unsent {
	var out []unsent
	for _, it := range t.pendingOut(c.ID) {
		if !it.Sealed || (it.Kind != outMsg && it.Kind != outRcpt && it.Kind != outSync) {
			continue
		}
		t.removeOut(it)
		if it.Kind == outMsg {
			out = append(out, unsent{API: it.API, Tag: it.Tag})
		}
	}
	return out
}

// RestoredMark is the record an import writes into a store it restored
// from a backup (any value): the agent's next Start then re-synchronizes
// every connection, as Config.Restored does, and deletes the record in
// the same commit.
func RestoredMark() (bucket, key string) { return bMark, "restored" }

// SyncStatus is a connection's re-synchronization record (diagnostics).
type SyncStatus struct {
	State    string // "" (the ratchet works), "required" or "requested"
	Epoch    uint32 // ratchets started by a sync
	Failed   int    // peer messages not delivered since the ratchet broke
	Rejected int    // sync messages refused
	Limited  int    // syncs the cooldown held back
	Moved    bool   // another client holds the connection's queue (SubscriptionsEnded)
}

// SyncStatus returns the re-synchronization record of a connection.
func (a *Agent) SyncStatus(connID string) (SyncStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.conns[connID]
	if c == nil {
		return SyncStatus{}, &Error{Code: CodeNotFound}
	}
	st := SyncStatus{Moved: a.isMoved(c.RcvQueue)}
	if s := c.Sync; s != nil {
		st.State, st.Epoch, st.Failed, st.Rejected, st.Limited = s.State, s.Epoch, s.Failed, s.Rejected, s.Limited
	}
	return st, nil
}
