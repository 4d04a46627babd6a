package agent

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"slices"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/agent/link"
	"github.com/sxweb/sxweb/core/crypto/ratchet"
	"github.com/sxweb/sxweb/core/relayclient"
)

// ratchetAD is the associated data of every ratchet message.
var ratchetAD = []byte("sxweb agent v1")

// receive processes one delivered message into t and returns the events
// and the queue to acknowledge it on (nil: unknown queue, not acked).
// Every outcome, including a bad message, is recorded as seen.
func (a *Agent) receive(t *Tx, ev relayclient.Message) ([]Event, *Queue) {
	q := t.queue(qkey(ev.RecipientID))
	if q == nil {
		a.logf("agent: message for unknown queue %x", ev.RecipientID)
		return nil, nil
	}
	h := sha256.Sum256(ev.Body)
	found, harmless := q.seenAs(ev.MsgID, h[:])
	if found && harmless {
		delete(t.queues, q.Key) // nothing changes: a re-delivery, ack only
		return nil, &q.Q
	}
	q.addSeen(ev.MsgID, h[:])
	c := t.conn(q.ConnID)
	if c == nil {
		return nil, &q.Q
	}
	if found {
		return []Event{Integrity{ConnID: c.ID, Kind: IntegrityDuplicate, Reason: "replayed ciphertext"}}, &q.Q
	}
	evs, err := a.receiveIn(t, c, q, ev.Body)
	if err != nil {
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegrityBadMessage, Reason: err.Error()})
	}
	return evs, &q.Q
}

func (a *Agent) receiveIn(t *Tx, c *conn, q *queue, body []byte) ([]Event, error) {
	env, err := envelope.Decode(body)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Role == roleAddress:
		return a.receiveRequest(t, c, q, env)
	case c.Role == roleInviter && c.State == stNew:
		return a.receiveConfirmation(t, c, q, env)
	}
	if env.SenderKey != nil {
		if q.PeerKey != nil && !bytes.Equal(q.PeerKey, env.SenderKey) {
			return nil, errors.New("a second sender key on the queue")
		}
		q.PeerKey = env.SenderKey
	}
	if q.PeerKey == nil {
		return nil, errors.New("no sender key for the queue")
	}
	in, err := a.open(q.E2EPriv, q.PeerKey, env)
	if err != nil {
		return nil, err
	}
	switch in.Tag {
	case envelope.InnerSync:
		return t.receiveSync(c, in.Body)
	case envelope.InnerMessage:
	default:
		return nil, errors.New("unexpected inner payload")
	}
	r := new(ratchet.Ratchet)
	if err := r.UnmarshalBinary(c.Ratchet); err != nil {
		return nil, err
	}
	pt, err := r.Decrypt(in.Body, ratchetAD)
	if err != nil {
		return a.undecryptable(t, c, err)
	}
	st, err := r.MarshalBinary()
	if err != nil {
		return nil, err
	}
	t.setRatchet(c, st)
	m, err := envelope.DecodeAgentMessage(pt)
	if err != nil {
		return nil, err
	}
	return a.receiveAgentMessage(t, c, m, pt)
}

// undecryptable reports a message the ratchet refused although the
// per-queue box opened with the peer's key: a message already decrypted
// (a replay older than the seen record, or a peer that restored an older
// ratchet and uses its keys again), or one no key of ours fits (the
// ratchets went apart). Either means a re-synchronization, except for
// malformed bytes, which no ratchet state explains.
func (a *Agent) undecryptable(t *Tx, c *conn, err error) ([]Event, error) {
	ev := Integrity{ConnID: c.ID, Kind: IntegrityBadMessage, Reason: err.Error()}
	if errors.Is(err, ratchet.ErrDuplicate) {
		ev.Kind = IntegrityDuplicate
	}
	if errors.Is(err, ratchet.ErrBadMessage) || errors.Is(err, ratchet.ErrBadEncoding) {
		return []Event{ev}, nil
	}
	more, err := t.broken(c, true, err.Error())
	return append([]Event{ev}, more...), err
}

// open unboxes env with the shared key of (priv, peer) and decodes the
// inner payload.
func (a *Agent) open(priv, peer []byte, env *envelope.Envelope) (*envelope.Inner, error) {
	k, err := a.sharedKey(priv, peer)
	if err != nil {
		return nil, err
	}
	pt, err := envelope.Open(k, env)
	if err != nil {
		return nil, err
	}
	return envelope.DecodeInner(pt)
}

// sharedKey caches box.Precompute per key pair (a pure function of the
// keys, so caching is independent of commits).
func (a *Agent) sharedKey(priv, peer []byte) (*envelope.SharedKey, error) {
	id := string(priv) + string(peer)
	if k := a.shared[id]; k != nil {
		return k, nil
	}
	k, err := envelope.Precompute(peer, priv)
	if err != nil {
		return nil, err
	}
	if len(a.shared) > 100000 {
		clear(a.shared)
	}
	a.shared[id] = k
	return k, nil
}

// receiveAgentMessage applies the integrity rules and the message kind.
// A number at or below the last one, or a chain that forks (the right
// number after another previous message), is what a peer running an older
// copy of its state sends: the connection re-synchronizes.
func (a *Agent) receiveAgentMessage(t *Tx, c *conn, m *envelope.AgentMessage, pt []byte) ([]Event, error) {
	var evs []Event
	h := envelope.Hash(pt)
	switch {
	case m.MsgNum == c.RcvWire && h == c.RcvHash:
		return []Event{Integrity{ConnID: c.ID, Kind: IntegrityDuplicate, MsgNum: m.MsgNum}}, nil
	case m.MsgNum <= c.RcvWire:
		app := m.Kind == envelope.KindMessage || m.Kind == envelope.KindQuiet
		more, err := t.broken(c, app, "message number at or below the last one")
		return append([]Event{Integrity{ConnID: c.ID, Kind: IntegrityBadID, MsgNum: m.MsgNum}}, more...), err
	case m.MsgNum > c.RcvWire+1:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegritySkipped, MsgNum: m.MsgNum,
			FromNum: c.RcvWire + 1, ToNum: m.MsgNum - 1})
	case m.PrevHash != c.RcvHash:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegrityBadHash, MsgNum: m.MsgNum})
		more, err := t.broken(c, false, "previous-message hash differs")
		if err != nil {
			return nil, err
		}
		evs = append(evs, more...)
	}
	c.RcvWire, c.RcvHash = m.MsgNum, h
	if receiptsAhead(c, m.Receipts) {
		// The peer confirms messages we never sent: it got them from
		// another copy of this connection (we run a restored, older
		// state). The numbers may match messages of ours it never got.
		more, err := t.broken(c, false, "receipts for messages never sent")
		if err != nil {
			return nil, err
		}
		evs = append(evs, more...)
	} else {
		evs = append(evs, a.receipts(t, c, m.Receipts)...)
	}
	switch m.Kind {
	case envelope.KindInfo:
		if c.Role == roleJoiner && c.State == stJoined {
			c.State, c.PeerInfo = stConnected, m.Body
			evs = append(evs, Connected{ConnID: c.ID, ConnInfo: m.Body})
			t.sealKick = true // messages queued while pending may be sealed now
		}
	case envelope.KindMessage:
		c.addRcpt(m.MsgNum)
		c.RcvApp++
		evs = append(evs, Message{ConnID: c.ID, MsgNum: m.MsgNum, Body: m.Body})
	case envelope.KindQuiet:
		c.RcvApp++
		evs = append(evs, Message{ConnID: c.ID, MsgNum: m.MsgNum, Body: m.Body})
	case envelope.KindConfirmation:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegrityBadMessage, MsgNum: m.MsgNum,
			Reason: "confirmation on a connected queue"})
	}
	return evs, nil
}

// maxRcptRanges bounds the receipts carried by one message.
const maxRcptRanges = 16

func (c *conn) addRcpt(n uint64) {
	if k := len(c.Rcpts); k > 0 && c.Rcpts[k-1].To+1 == n {
		c.Rcpts[k-1].To = n
		return
	}
	c.Rcpts = append(c.Rcpts, envelope.Range{From: n, To: n})
}

// receiptsAhead: rs confirms a number above the last one c sent.
func receiptsAhead(c *conn, rs []envelope.Range) bool {
	for _, r := range rs {
		if r.To > c.SndWire {
			return true
		}
	}
	return false
}

// receipts turns received receipts into Delivered events (completing the
// outbox entry first if its Sent is still pending).
func (a *Agent) receipts(t *Tx, c *conn, rs []envelope.Range) []Event {
	sent := a.sent[c.ID]
	if len(rs) == 0 || len(sent) == 0 {
		return nil
	}
	var wires []uint64
	for w := range sent {
		for _, r := range rs {
			if w >= r.From && w <= r.To {
				wires = append(wires, w)
				break
			}
		}
	}
	slices.Sort(wires)
	var evs []Event
	for _, w := range wires {
		for _, it := range a.outbox[c.ID] {
			if it.Wire == w && it.Sealed && !it.done && it.Epoch == c.epoch() {
				evs = append(evs, t.completeSent(it)...)
			}
		}
		evs = append(evs, Delivered{ConnID: c.ID, MsgNum: sent[w].API, Tag: sent[w].Tag})
		t.Del(bSent, sentKey(c.ID, w))
		t.after = append(t.after, func() { delete(sent, w) })
	}
	return evs
}

// receiveRequest handles a connection request on a contact address.
func (a *Agent) receiveRequest(t *Tx, c *conn, q *queue, env *envelope.Envelope) ([]Event, error) {
	if env.SenderKey == nil {
		return nil, errors.New("request without sender key")
	}
	in, err := a.open(q.E2EPriv, env.SenderKey, env)
	if err != nil {
		return nil, err
	}
	if in.Tag != envelope.InnerRequest {
		return nil, errors.New("not a request")
	}
	l, err := link.Parse(in.Link)
	if err != nil {
		return nil, err
	}
	if l.Kind != link.Invitation {
		return nil, errors.New("request carries no invitation")
	}
	r := &request{ID: randomID(), ConnID: c.ID, Link: in.Link, Info: in.Body}
	t.reqs[r.ID] = r
	return []Event{Request{ConnID: c.ID, ReqID: r.ID, ConnInfo: in.Body}}, nil
}
