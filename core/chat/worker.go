package chat

import (
	"encoding/json"
	"time"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// Task operations: agent calls that cannot run inside an event handler
// (the agent has no Tx form for them), run by the worker after the event
// that asked for them has committed.
const (
	opIntroInv = "intro-inv" // CreateInvitation for member MemberID, then x.grp.mem.inv
	opDelete   = "delete"    // Delete(ConnID)
)

type taskRec struct {
	Op        string      `json:"op"`
	ConnID    string      `json:"connId,omitempty"`
	ConfID    string      `json:"confId,omitempty"`
	ReqID     string      `json:"reqId,omitempty"`
	Link      string      `json:"link,omitempty"`
	Info      []byte      `json:"info,omitempty"`
	GroupID   string      `json:"groupId,omitempty"`
	MemberID  proto.Bytes `json:"memberId,omitempty"`
	ContactID string      `json:"contactId,omitempty"`
	Direct    bool        `json:"direct,omitempty"`
	Attempts  int         `json:"attempts,omitempty"`
	NextAt    time.Time   `json:"nextAt,omitzero"` // retry not before (backoff)
}

// maxAttempts bounds retries of a failing task (with backoff from 250 ms
// doubling to 30 s, about 20 minutes in all: a relay that is down for a
// while does not lose an introduction).
const maxAttempts = 50

func (c *Client) addTask(t *tx, task taskRec) {
	k := seqKey(c.nextSeq(t))
	t.put(bTask, k, task)
	t.tasks = append(t.tasks, k)
}

func (c *Client) worker() {
	defer c.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		var want []string
		select {
		case <-c.done:
			return
		case want = <-c.wake:
		case <-tick.C:
		}
		c.waitVisible(want)
		c.runTasks()
	}
}

// waitVisible waits (briefly) until the tasks an event wrote have been
// committed by the agent, which happens right after the handler returns.
func (c *Client) waitVisible(keys []string) {
	for _, k := range keys {
		for i := 0; i < 200; i++ {
			c.mu.Lock()
			ran := c.ran[k]
			c.mu.Unlock()
			if ran {
				break
			}
			if _, err := c.st.Get(bg, bTask, k); err == nil {
				break
			}
			select {
			case <-c.done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}
}

func (c *Client) runTasks() {
	kvs, err := c.st.List(bg, bTask, "")
	if err != nil {
		return
	}
	for _, kv := range kvs {
		select {
		case <-c.done:
			return
		default:
		}
		var task taskRec
		if json.Unmarshal(kv.Value, &task) != nil || c.now().Before(task.NextAt) {
			continue
		}
		c.runTask(kv.Key, task)
	}
}

func (c *Client) runTask(key string, task taskRec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if _, err := c.st.Get(bg, bTask, key); err != nil {
		return // done meanwhile
	}
	t := newTx(bg, c.st, &store.Batch{})
	if err := c.doTask(t, task); err != nil {
		t = newTx(bg, c.st, &store.Batch{})
		task.Attempts++
		task.NextAt = c.now().Add(min(250*time.Millisecond<<min(task.Attempts, 10), 30*time.Second))
		if task.Attempts >= maxAttempts || ErrorCode(err) == CodeBadLink {
			t.del(bTask, key)
			c.record(t, errRec{Code: ErrorCode(err), Detail: task.Op + ": " + err.Error(), GroupID: task.GroupID, ContactID: task.ContactID})
		} else {
			t.put(bTask, key, task)
		}
	} else {
		t.del(bTask, key)
		if len(c.ran) > 10000 {
			c.ran = map[string]bool{}
		}
		c.ran[key] = true
	}
	_ = c.commit(t)
}

func (c *Client) doTask(t *tx, task taskRec) error {
	switch task.Op {
	case opDelete:
		return c.unlocked(func() error { return c.ag.Delete(t.ctx, task.ConnID) })
	case opIntroInv:
		return c.doIntroInv(t, task)
	}
	return nil
}

// memberConnected records the group connection of a member (pending until
// the agent says Connected) and sends what was queued for it.
func (c *Client) memberConnected(t *tx, groupID string, id proto.Bytes, connID string) error {
	m, err := t.member(groupID, id)
	if err != nil {
		return err
	}
	if m == nil || !active(m) {
		c.addTask(t, taskRec{Op: opDelete, ConnID: connID})
		return nil
	}
	m.ConnID = connID
	if m.Status == msAnnounced {
		m.Status = msIntroduced
	}
	t.putMember(m)
	t.setRef(connID, connRef{Kind: refMember, GroupID: groupID, MemberID: id})
	return c.flushMQ(t, m)
}

// flushMQ sends the messages queued for a member that had no connection.
func (c *Client) flushMQ(t *tx, m *memberRec) error {
	kvs, err := t.list(bMQ, memberKey(m.GroupID, m.ID)+"/")
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if err := c.post(t, m.ConnID, kv.Value, nil); err != nil {
			return err
		}
		t.del(bMQ, kv.Key)
	}
	return nil
}
