package cfworker_test

import (
	"strings"
	"testing"

	"github.com/sxweb/sxweb/internal/protosuite"
)

// The relay's protocol suite against the Worker's logic in one process
// (the real Worker runs it in cftest).
func TestSimProtocol(t *testing.T) {
	_, hs := newSim(t, 3, 1000)
	ws := "ws" + strings.TrimPrefix(hs.URL, "http") + "/"
	protosuite.Run(t, protosuite.Target{URL: ws, HTTPURL: hs.URL + "/", Quota: 3, MaxMsgSize: 1000})
}
