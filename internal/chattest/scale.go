package chattest

import (
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// LargeGroup builds a group of n by link in one process and checks the
// mesh: n-1 group connections and no contact for everyone, one message
// from the last member reaching all.
func LargeGroup(t *testing.T, mk Factory, n int) {
	us := mk(t, false, names(n)...)
	gids := smallGroupT(t, us, chat.GroupSettings{DisplayName: "big"})
	for i, u := range us {
		s := must[chat.Stats](t)(u.Stats(ctx))
		if s.GroupConnections != n-1 || s.DirectConnections != 0 {
			t.Fatalf("%s: %+v", u.Name, s)
		}
		_ = i
	}
	last := us[n-1]
	must[string](t)(last.SendGroupMessage(ctx, gids[n-1], "to all"))
	for i, u := range us[:n-1] {
		waitFor(t, fmt.Sprintf("%s has the message", u.Name), func() bool {
			ms, _ := u.Messages(ctx, chat.ChatRef{GroupID: gids[i]})
			return len(ms) == 1
		})
	}
}

// smallGroupT: owner + members by link, waiting for the full mesh.
func smallGroupT(t *testing.T, us []*User, s chat.GroupSettings) []string {
	return smallGroup(t, us, s)
}
