package cfworker

import (
	"bytes"
	"context"
	"crypto/rand"
	"strconv"

	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store/record"
	"github.com/sxweb/sxweb/relay/wire"
)

// maxList bounds one listing of a queue's messages (quota is far lower).
const maxList = 4096

type storedMsg struct {
	key string
	seq uint64
	m   record.Message
}

// messages lists the queue's stored messages, oldest first.
func (c *cmd) messages(ctx context.Context) ([]storedMsg, error) {
	es, err := c.kv.List(ctx, msgPrefix, maxList)
	if err != nil {
		return nil, err
	}
	out := make([]storedMsg, 0, len(es))
	for _, e := range es {
		seq, perr := strconv.ParseUint(e.Key[len(msgPrefix):], 16, 64)
		m, derr := decodeMsg(e.Value)
		if perr != nil || derr != nil {
			return nil, ErrCorrupt
		}
		out = append(out, storedMsg{e.Key, seq, m})
	}
	return out, nil
}

// expire deletes the expired messages at the head of the queue.
func (c *cmd) expire(ctx context.Context) error {
	msgs, err := c.messages(ctx)
	if err != nil {
		return err
	}
	nb := c.e.notBefore()
	for _, x := range msgs {
		if x.m.Timestamp >= nb {
			break
		}
		c.del = append(c.del, x.key)
		c.st.first = x.seq + 1
	}
	c.st.full = rules.Drained(c.st.full, int(c.st.count()))
	return nil
}

// oldest returns the oldest message that has not expired (nor been
// removed by this command: those are before c.st.first).
func (c *cmd) oldest(ctx context.Context) (record.Message, bool, error) {
	msgs, err := c.messages(ctx)
	if err != nil {
		return record.Message{}, false, err
	}
	nb := c.e.notBefore()
	for _, x := range msgs {
		if x.seq >= c.st.first && x.m.Timestamp >= nb {
			return x.m, true, nil
		}
	}
	return record.Message{}, false, nil
}

// deliverOldest makes the oldest message pending for the subscriber and
// sends it, unless it is keep (delivered already and not acknowledged).
func (c *cmd) deliverOldest(ctx context.Context, keep []byte) error {
	m, ok, err := c.oldest(ctx)
	if err != nil || !ok {
		return err
	}
	c.deliver(m, keep)
	return nil
}

func (c *cmd) deliver(m record.Message, keep []byte) {
	c.st.pending = m.ID
	if keep != nil && bytes.Equal(keep, m.ID) {
		return
	}
	c.toSubscriber(c.msgT(m, nil))
}

// toSubscriber sends t to the queue's subscriber: in the response when it
// is the caller (after the command's own answer), else as a push.
func (c *cmd) toSubscriber(t *wire.Transmission) {
	if bytes.Equal(c.st.sub, c.req.Session[:]) && c.req.Push {
		c.resp.out(t)
		return
	}
	c.push(c.st.sub, t)
}

func (c *cmd) push(session []byte, t *wire.Transmission) {
	var p Push
	copy(p.Session[:], session)
	p.T = encodeT(t)
	c.resp.Pushes = append(c.resp.Pushes, p)
}

// msgT is the MSG for m, re-encrypted under the queue's box key.
func (c *cmd) msgT(m record.Message, corr []byte) *wire.Transmission {
	return &wire.Transmission{CorrID: corr, EntityID: c.st.q.RecipientID, Code: wire.MSG, MsgID: m.ID,
		Timestamp: m.Timestamp, Body: wire.SealMsg(nil, m.Body, m.ID, (*[32]byte)(c.st.q.BoxKey))}
}

func randID() []byte {
	b := make([]byte, wire.IDLen)
	rand.Read(b)
	return b
}
