package chat

import (
	"encoding/json"
	"errors"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// schema is the version of the chat layer's records. 1 (no record): the
// first release, with per-member delivery maps (c.msg Deliv), delivery
// records (c.dlv) and tasks run after commit (c.task); 2: delivery counts
// on the message, no delivery records, no tasks (one transaction per
// action).
const schema = "2"

// Buckets of schema 1, emptied by the migration.
const (
	bDlv1  = "c.dlv"
	bTask1 = "c.task"
)

// migrate brings schema-1 records up to date, inside the first
// transaction of this run (whichever comes first: an API call or an
// event); it is marked done when that transaction commits.
func (c *Client) migrate(t *tx) error {
	if c.migrated.Load() {
		return nil
	}
	v, err := t.Get(bMeta, "schema")
	if err == nil && string(v) == schema {
		c.migrated.Store(true)
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := c.migrateMessages(t); err != nil {
		return err
	}
	if err := c.migrateTasks(t); err != nil {
		return err
	}
	kvs, err := t.List(bDlv1, "")
	for _, kv := range kvs {
		t.Del(bDlv1, kv.Key)
	}
	if err != nil {
		return err
	}
	t.Put(bMeta, "schema", []byte(schema))
	t.OnCommit(func() { c.migrated.Store(true) })
	return nil
}

// migrateMessages turns per-member delivery maps into counts and the
// status "sending" into pending.
func (c *Client) migrateMessages(t *tx) error {
	ms, err := listJSON[msgRec](t, bMsg, "")
	if err != nil {
		return err
	}
	for i := range ms {
		m := &ms[i]
		if m.Sender != "me" || (m.Deliv == nil && m.Status != "sending") {
			continue
		}
		m.Total, m.Sent, m.Delivered, m.Receipts = len(m.Deliv), 0, 0, true
		for _, st := range m.Deliv {
			switch st {
			case "delivered":
				m.Delivered++
				m.Sent++
			case "sent":
				m.Sent++
			}
		}
		m.Deliv = nil
		m.Status = m.status()
		c.putMsg(t, m)
	}
	return nil
}

// task1 is a schema-1 task.
type task1 struct {
	Op       string      `json:"op"`
	ConnID   string      `json:"connId,omitempty"`
	GroupID  string      `json:"groupId,omitempty"`
	MemberID proto.Bytes `json:"memberId,omitempty"`
}

// migrateTasks does what schema-1 tasks were waiting to do: delete a
// connection, or make the invitation for an introduced member.
func (c *Client) migrateTasks(t *tx) error {
	kvs, err := t.List(bTask1, "")
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		t.Del(bTask1, kv.Key)
		var tk task1
		if json.Unmarshal(kv.Value, &tk) != nil {
			continue
		}
		switch tk.Op {
		case "delete":
			if err := c.dropConn(t, tk.ConnID, false); err != nil {
				return err
			}
		case "intro-inv":
			if err := c.redoIntroInv(t, tk); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Client) redoIntroInv(t *tx, tk task1) error {
	g, err := t.group(tk.GroupID)
	if err != nil {
		return ignoreNotFound(err)
	}
	a, err := t.member(g.ID, tk.MemberID)
	if err != nil || a == nil || !active(a) || a.ConnID != "" {
		return err
	}
	host, err := t.member(g.ID, g.HostID)
	if err != nil || host == nil {
		return err
	}
	return c.introInv(t, g, host, a)
}
