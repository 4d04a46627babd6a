package chat

import (
	"context"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

// stubAgent commits a transaction's writes and takes any send: the chat
// layer's own cost of an API call, without an agent.
type stubAgent struct {
	st   store.Store
	sent int
}

type stubTx struct {
	*store.Overlay
	a   *stubAgent
	ctx context.Context
}

func (a *stubAgent) Update(ctx context.Context, fn func(Tx) error) error {
	t := &stubTx{Overlay: store.NewOverlay(a.st), a: a, ctx: ctx}
	if err := fn(t); err != nil {
		return err
	}
	return store.Commit(ctx, a.st, t.Batch())
}
func (a *stubAgent) MaxMessage() int    { return agent.MaxMessage }
func (a *stubAgent) Stats() agent.Stats { return agent.Stats{} }

func (t *stubTx) Context() context.Context                             { return t.ctx }
func (t *stubTx) Get(b, k string) ([]byte, error)                      { return t.Overlay.Get(t.ctx, b, k) }
func (t *stubTx) List(b, p string) ([]store.KV, error)                 { return t.Overlay.List(t.ctx, b, p) }
func (t *stubTx) Reserve(int) error                                    { return nil }
func (t *stubTx) CreateInvitation() (string, string, error)            { return "c", "l", nil }
func (t *stubTx) CreateAddress() (string, string, error)               { return "a", "l", nil }
func (t *stubTx) Join(string, []byte) (string, error)                  { return "j", nil }
func (t *stubTx) Allow(string, string, []byte) error                   { return nil }
func (t *stubTx) DeleteConnection(string, bool) error                  { return nil }
func (t *stubTx) AcceptRequest(string, string, []byte) (string, error) { return "r", nil }
func (t *stubTx) Send(string, []byte, agent.SendOptions) (uint64, error) {
	t.a.sent++
	return 1, nil
}
func (t *stubTx) SendMany(ids []string, _ []byte, _ agent.SendOptions) (int, error) {
	t.a.sent += len(ids)
	return len(ids), nil
}

// groupOf makes a group of n connected members directly in the store.
func benchGroup(b *testing.B, c *Client, n int) string {
	g := &groupRec{ID: "g1", Profile: proto.GroupProfile{DisplayName: "big"}, Status: gsActive, MyID: newMemberID(), MyRole: proto.RoleOwner}
	err := c.update(context.Background(), func(t *tx) error {
		t.putGroup(g)
		for i := range n {
			m := &memberRec{GroupID: g.ID, ID: newMemberID(), Role: proto.RoleMember, Status: msConnected,
				Profile: proto.Profile{DisplayName: fmt.Sprintf("member %d", i), FullName: "A Member With A Name"}, ConnID: fmt.Sprintf("conn-%d", i)}
			t.putMember(m)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return g.ID
}

// BenchmarkSendGroupMessage: the chat layer's cost of sendGroupMessage in a
// group of N (the agent's sealing and sending come after the call).
func BenchmarkSendGroupMessage(b *testing.B) {
	for _, n := range []int{20, 100, 1000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			st := memstore.New()
			a := &stubAgent{st: st}
			c, err := New(Config{Store: st, Agent: a})
			if err != nil {
				b.Fatal(err)
			}
			gid := benchGroup(b, c, n)
			for b.Loop() {
				if _, err := c.SendGroupMessage(context.Background(), gid, "hello everyone"); err != nil {
					b.Fatal(err)
				}
			}
			if a.sent < n {
				b.Fatalf("sent %d copies", a.sent)
			}
		})
	}
}
