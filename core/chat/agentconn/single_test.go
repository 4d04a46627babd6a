package agentconn_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
)

// Every host (the browser build, the Cloudflare test, groupbench) converts
// agent events through this package, so a new agent event is handled in one
// place: no other package switches on the agent's event types.
func TestOnlyAgentconnConvertsAgentEvents(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"core/agent": true, "core/chat/agentconn": true}
	var copies []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") || allowed[rel] {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "case agent.Confirmation") {
			copies = append(copies, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) > 0 {
		t.Fatalf("agent event conversion copied outside agentconn (use agentconn.Agent / agentconn.Handler): %v", copies)
	}
}

func TestEventKinds(t *testing.T) {
	cases := []struct {
		ev   agent.Event
		want chat.AgentEventKind
	}{
		{agent.Confirmation{ConnID: "c"}, chat.AgentConfirmation},
		{agent.Request{ConnID: "c"}, chat.AgentRequest},
		{agent.Connected{ConnID: "c"}, chat.AgentConnected},
		{agent.Message{ConnID: "c"}, chat.AgentMessage},
		{agent.Sent{ConnID: "c"}, chat.AgentSent},
		{agent.Delivered{ConnID: "c"}, chat.AgentDelivered},
		{agent.Deleted{ConnID: "c"}, chat.AgentDeleted},
		{agent.SendFailed{ConnID: "c"}, chat.AgentOther},
		{agent.Integrity{ConnID: "c"}, chat.AgentOther},
		{agent.HandlerFailed{ConnID: "c", Event: agent.Message{ConnID: "c"}}, chat.AgentFailed},
		{agent.RelayUp{}, chat.AgentOther},
		{agent.RelayDown{}, chat.AgentOther},
	}
	for _, c := range cases {
		got := agentconn.Event(c.ev)
		if got.Kind != c.want {
			t.Errorf("%T: kind %d, want %d", c.ev, got.Kind, c.want)
		}
		if c.want != chat.AgentOther && got.ConnID != "c" {
			t.Errorf("%T: connID %q", c.ev, got.ConnID)
		}
	}
}
