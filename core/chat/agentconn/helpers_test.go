package agentconn_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store"
)

// clientOpts varies what openClient builds; the zero value is a plain client.
type clientOpts struct {
	auto        bool                              // chat.Config.AutoAcceptMemberContacts
	retryMax    time.Duration                     // agent.Config.RetryMax (0: the agent's default)
	wrap        func(agent.Handler) agent.Handler // wraps the chat handler: tests that hold back or break events
	noChatStart bool                              // the caller starts the chat client itself
}

// openClient opens an agent and a chat client on st against the relay at
// url, wires them through agentconn and starts them (the agent first, as
// the browser does). The caller closes both.
func openClient(t testing.TB, st store.Store, url string, o clientOpts) (*chat.Client, *agent.Agent) {
	t.Helper()
	ag, err := agent.New(agent.Config{Store: st, Relays: []string{url}, Dial: wsdial.Dial, RetryMax: o.retryMax})
	if err != nil {
		t.Fatal(err)
	}
	c, err := chat.New(chat.Config{Store: st, Agent: agentconn.Agent{Agent: ag}, AutoAcceptMemberContacts: o.auto})
	if err != nil {
		t.Fatal(err)
	}
	h := agentconn.Handler(c)
	if o.wrap != nil {
		h = o.wrap(h)
	}
	ag.SetHandler(h)
	if err := ag.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if !o.noChatStart {
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return c, ag
}
