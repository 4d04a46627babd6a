package chat_test

import (
	"encoding/json"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// A restore re-synchronizes every member of a group at once: members
// whose sync lost nothing share one notice (a thousand members, one line),
// updated as more come; a sync that lost messages has a notice of its own
// with its counts, and the next lossless one starts a new shared notice.
func TestGroupSyncNoticesShared(t *testing.T) {
	us := fake(t, false, "owner", "ann", "bob", "cat")
	owner := us[0]
	gid, err := owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	link, err := owner.CreateGroupLink(ctx, gid)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us[1:] {
		if _, err := u.JoinGroup(ctx, link, chat.JoinOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "all members connected", func() bool {
		ms, _ := owner.Members(ctx, gid)
		n := 0
		for _, m := range ms {
			if m.Status == "connected" {
				n++
			}
		}
		return n == 3
	})
	ag := owner.Raw.(*fakeagent.Agent)
	// the agent's report of a finished sync with each member, by connection
	sync := func(lost int) func(tx chat.Tx) error {
		return func(tx chat.Tx) error {
			kvs, err := tx.List("c.member", gid+"/")
			if err != nil {
				return err
			}
			for _, kv := range kvs {
				var m struct {
					ConnID string `json:"connId"`
				}
				if err := json.Unmarshal(kv.Value, &m); err != nil {
					return err
				}
				if err := owner.HandleEvent(tx, agent.RatchetSync{ConnID: m.ConnID, State: agent.SyncDone, Lost: lost}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	notices := func() []chat.Message {
		ms, _ := owner.Messages(ctx, chat.ChatRef{GroupID: gid})
		var out []chat.Message
		for _, m := range ms {
			if m.System == chat.SystemRatchetSync {
				out = append(out, m)
			}
		}
		return out
	}
	if err := ag.Update(ctx, sync(0)); err != nil {
		t.Fatal(err)
	}
	ns := notices()
	if len(ns) != 1 || ns[0].Others != 2 || ns[0].Text == "" {
		t.Fatalf("three lossless syncs: %+v, want one notice for all three", ns)
	}
	t.Log(ns[0].Text)
	if err := ag.Update(ctx, sync(2)); err != nil {
		t.Fatal(err)
	}
	if ns = notices(); len(ns) != 4 || ns[1].Lost != 2 || ns[3].Others != 0 {
		t.Fatalf("three syncs that lost messages: %+v, want a notice each", ns)
	}
	if err := ag.Update(ctx, sync(0)); err != nil {
		t.Fatal(err)
	}
	if ns = notices(); len(ns) != 5 || ns[4].Others != 2 {
		t.Fatalf("lossless again: %+v, want one new shared notice", ns)
	}
}
