package chat

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// The members of a group are read on every group send and every incoming
// group message: decoding them all from the store each time costs O(N)
// per message (milliseconds at 1,000 members in wasm). A roster keeps a
// group's decoded member records in memory, loaded on first use; a
// transaction reads it through its own changes (tx.mem) and the changes
// reach the roster when the transaction commits (a dropped attempt leaves
// it as it was). Every member write goes through putMember and delMember.
// The roster lives under the agent's lock, as transactions do.

// roster is one group's members by memberKey; the records are not changed
// in place (a change replaces the entry).
type roster map[string]*memberRec

// roster returns the committed members of a group, loading them once
// (a view, which runs without the lock, reads the store each time).
func (c *Client) roster(t *tx, groupID string) (roster, error) {
	if !t.view {
		if r, ok := c.rosters[groupID]; ok {
			return r, nil
		}
	}
	// The committed records, read from the store itself, not through this
	// transaction's writes (those are in t.mem): under the agent's lock
	// nothing else commits meanwhile, so they can be cached. (Reading
	// through the writes made a group whose members change in every
	// transaction, as while joining, reload its roster every time.)
	src := Tx(t)
	if !t.view {
		src = roTx{ctx: t.ctx(), st: c.st}
	}
	kvs, err := src.List(bMember, groupID+"/")
	if err != nil {
		return nil, err
	}
	r := make(roster, len(kvs))
	for _, kv := range kvs {
		m := new(memberRec)
		if err := json.Unmarshal(kv.Value, m); err != nil {
			return nil, err
		}
		r[memberKey(m.GroupID, m.ID)] = m
	}
	if !t.view {
		c.rosters[groupID] = r
	}
	return r, nil
}

// member returns the member (a copy the caller may change), or nil.
func (t *tx) member(groupID string, id proto.Bytes) (*memberRec, error) {
	k := memberKey(groupID, id)
	if m, ok := t.mem[k]; ok {
		return cloneMember(m), nil
	}
	r, err := t.c.roster(t, groupID)
	if err != nil {
		return nil, err
	}
	return cloneMember(r[k]), nil
}

// members returns the group's members (copies), in key order.
func (t *tx) members(groupID string) ([]*memberRec, error) {
	r, err := t.c.roster(t, groupID)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(r))
	for k := range r {
		if _, changed := t.mem[k]; !changed {
			keys = append(keys, k)
		}
	}
	for k, m := range t.mem {
		if m != nil && strings.HasPrefix(k, groupID+"/") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]*memberRec, 0, len(keys))
	for _, k := range keys {
		m, ok := t.mem[k]
		if !ok {
			m = r[k]
		}
		out = append(out, cloneMember(m))
	}
	return out, nil
}

// eachMember calls fn with every member of the group, read-only (not
// copied, in no order): for the hot paths that only look.
func (t *tx) eachMember(groupID string, fn func(m *memberRec)) error {
	r, err := t.c.roster(t, groupID)
	if err != nil {
		return err
	}
	for k, m := range r {
		if _, changed := t.mem[k]; !changed {
			fn(m)
		}
	}
	for k, m := range t.mem {
		if m != nil && strings.HasPrefix(k, groupID+"/") {
			fn(m)
		}
	}
	return nil
}

func (t *tx) putMember(m *memberRec) {
	k := memberKey(m.GroupID, m.ID)
	t.put(bMember, k, m)
	t.noteMember(m.GroupID, k, cloneMember(m))
}

func (t *tx) delMember(m *memberRec) {
	k := memberKey(m.GroupID, m.ID)
	t.Del(bMember, k)
	t.noteMember(m.GroupID, k, nil)
}

// noteMember records a change for this transaction's reads and, once it
// commits, for the roster (nil: deleted).
func (t *tx) noteMember(groupID, k string, m *memberRec) {
	if _, seen := t.mem[k]; !seen {
		c := t.c
		t.OnCommit(func() {
			r, ok := c.rosters[groupID]
			if !ok {
				return // not loaded: read from the store when needed
			}
			if m := t.mem[k]; m != nil {
				r[k] = m
			} else {
				delete(r, k)
			}
		})
	}
	t.mem[k] = m
}

func cloneMember(m *memberRec) *memberRec {
	if m == nil {
		return nil
	}
	n := *m
	return &n
}
