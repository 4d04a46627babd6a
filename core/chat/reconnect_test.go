package chat_test

import (
	"context"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

// reconnAgent is the in-memory agent with a Reconnect that counts calls.
type reconnAgent struct {
	*fakeagent.Agent
	calls *int
}

func (a reconnAgent) Reconnect(context.Context) error { *a.calls++; return nil }

// Client.Reconnect reaches an agent that can reconnect, and is a no-op
// (no error) for one that cannot.
func TestReconnectReachesTheAgent(t *testing.T) {
	net := fakeagent.NewNetwork()
	var calls int
	st := memstore.New()
	ag := net.NewAgent("a", st)
	t.Cleanup(ag.Close)
	c, err := chat.New(chat.Config{Store: st, Agent: reconnAgent{ag, &calls}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Reconnect(ctx); err != nil || calls != 1 {
		t.Fatalf("Reconnect = %v, agent called %d times, want once", err, calls)
	}
	plain, err := chat.New(chat.Config{Store: memstore.New(), Agent: ag})
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Reconnect(ctx); err != nil {
		t.Fatalf("Reconnect without agent support = %v", err)
	}
}
