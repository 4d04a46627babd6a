package agentconn_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakefiles"
)

// clientOpts varies what openClient builds; the zero value is a plain client.
type clientOpts struct {
	auto        bool                              // chat.Config.AutoAcceptMemberContacts
	retryMax    time.Duration                     // agent.Config.RetryMax (0: the agent's default)
	wrap        func(agent.Handler) agent.Handler // wraps the chat handler: tests that hold back or break events
	noChatStart bool                              // the caller starts the chat client itself
	connectWait time.Duration                     // agent.Config.ConnectWait (0: the agent's default)
	files       *fakefiles.Store                  // chat.Config.Files
	fileRelay   *fileRelay                        // the file relay (nil: none)
}

// fileRelay is the file relay of a scenario's users: the in-memory one
// (any URL), or the real relay/files on 127.0.0.1 over net/http.
type fileRelay struct {
	url   string
	http  files.HTTP
	relay chattest.FileRelay
}

// fakeFileRelay returns a new in-memory file relay.
func fakeFileRelay() *fileRelay {
	r := fakefiles.NewRelay()
	return &fileRelay{url: "https://files.test/files", http: r, relay: r}
}

// openClient opens an agent and a chat client on st against the relay at
// url, wires them through agentconn and starts them (the agent first, as
// the browser does). The caller closes both.
func openClient(t testing.TB, st store.Store, url string, o clientOpts) (*chat.Client, *agent.Agent) {
	t.Helper()
	ag, err := agent.New(agent.Config{Store: st, Relays: []string{url}, Dial: wsdial.Dial, RetryMax: o.retryMax,
		ConnectWait: o.connectWait})
	if err != nil {
		t.Fatal(err)
	}
	cfg := chat.Config{Store: st, Agent: agentconn.Agent{Agent: ag}, AutoAcceptMemberContacts: o.auto}
	if o.fileRelay != nil {
		cfg.Files, cfg.FileRelay, cfg.FileHTTP = o.files, o.fileRelay.url, o.fileRelay.http
	}
	c, err := chat.New(cfg)
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
