package chat_test

import (
	"testing"

	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakeagent"
)

func TestDirectAtJoinEveryContactConnects(t *testing.T) {
	chattest.DirectAtJoinEveryContactConnects(t, fake, 8)
}

// The same with the fake network delivering different connections' events
// in random order, as the real relay's queues do: the direct connection's
// confirmation may come after the group connection is up.
func TestDirectAtJoinEveryContactConnectsReordered(t *testing.T) {
	chattest.DirectAtJoinEveryContactConnects(t, reordered, 12)
}

func reordered(tb testing.TB, _ bool, names ...string) []*chattest.User {
	net := fakeagent.NewNetwork()
	net.Reorder = true
	return onNetwork(tb.(*testing.T), net, names...)
}
