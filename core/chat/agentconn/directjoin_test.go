package agentconn_test

import (
	"testing"

	"github.com/sxweb/sxweb/internal/chattest"
)

// On the real relay the two confirmations of an introduced pair (group and
// direct connection) travel on different queues and arrive in either order.
func TestDirectAtJoinEveryContactConnects(t *testing.T) {
	chattest.DirectAtJoinEveryContactConnects(t, relayFactory(t), 10)
}
