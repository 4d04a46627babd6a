package relay_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The relay knows nothing of the client side: no package of core/ (chat,
// agent, relayclient, files) is reachable from the relay's packages, the
// file relay's or cmd/relay.
func TestRelayImportsNoCore(t *testing.T) {
	pkgs := []string{"github.com/sxweb/sxweb/relay", "github.com/sxweb/sxweb/relay/wire",
		"github.com/sxweb/sxweb/relay/store", "github.com/sxweb/sxweb/relay/rules", "github.com/sxweb/sxweb/internal/relaytest",
		"github.com/sxweb/sxweb/relay/limit", "github.com/sxweb/sxweb/relay/files", "github.com/sxweb/sxweb/relay/files/diskstore",
		"github.com/sxweb/sxweb/relay/filewire", "github.com/sxweb/sxweb/cmd/relay"}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/sxweb/sxweb/core") {
			t.Errorf("relay depends on %s", p)
		}
	}
}
