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
	if in.Tag != envelope.InnerMessage {
		return nil, errors.New("unexpected inner payload")
	}
	r := new(ratchet.Ratchet)
	if err := r.UnmarshalBinary(c.Ratchet); err != nil {
		return nil, err
	}
	pt, err := r.Decrypt(in.Body, ratchetAD)
	if errors.Is(err, ratchet.ErrDuplicate) {
		return []Event{Integrity{ConnID: c.ID, Kind: IntegrityDuplicate, Reason: err.Error()}}, nil
	}
	if err != nil {
		return nil, err
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
	return a.receiveAgentMessage(t, c, m, pt), nil
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
func (a *Agent) receiveAgentMessage(t *Tx, c *conn, m *envelope.AgentMessage, pt []byte) []Event {
	var evs []Event
	h := envelope.Hash(pt)
	switch {
	case m.MsgNum == c.RcvWire && h == c.RcvHash:
		return []Event{Integrity{ConnID: c.ID, Kind: IntegrityDuplicate, MsgNum: m.MsgNum}}
	case m.MsgNum <= c.RcvWire:
		return []Event{Integrity{ConnID: c.ID, Kind: IntegrityBadID, MsgNum: m.MsgNum}}
	case m.MsgNum > c.RcvWire+1:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegritySkipped, MsgNum: m.MsgNum,
			FromNum: c.RcvWire + 1, ToNum: m.MsgNum - 1})
	case m.PrevHash != c.RcvHash:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegrityBadHash, MsgNum: m.MsgNum})
	}
	c.RcvWire, c.RcvHash = m.MsgNum, h
	evs = append(evs, a.receipts(t, c, m.Receipts)...)
	switch m.Kind {
	case envelope.KindInfo:
		if c.Role == roleJoiner && c.State == stJoined {
			c.State, c.PeerInfo = stConnected, m.Body
			evs = append(evs, Connected{ConnID: c.ID, ConnInfo: m.Body})
			t.sealKick = true // messages queued while pending may be sealed now
		}
	case envelope.KindMessage:
		c.addRcpt(m.MsgNum)
		evs = append(evs, Message{ConnID: c.ID, MsgNum: m.MsgNum, Body: m.Body})
	case envelope.KindQuiet:
		evs = append(evs, Message{ConnID: c.ID, MsgNum: m.MsgNum, Body: m.Body})
	case envelope.KindConfirmation:
		evs = append(evs, Integrity{ConnID: c.ID, Kind: IntegrityBadMessage, MsgNum: m.MsgNum,
			Reason: "confirmation on a connected queue"})
	}
	return evs
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
			if it.Wire == w && it.Sealed && !it.done {
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
