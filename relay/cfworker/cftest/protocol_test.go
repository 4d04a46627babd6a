package cftest_test

import (
	"testing"

	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/relay/cfworker"
	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// The relay's protocol suite, unchanged, against the Worker in workerd.
func TestWorkerProtocol(t *testing.T) {
	w := needWorker(t)
	protosuite.Run(t, protosuite.Target{URL: w.URL, HTTPURL: w.HTTPURL, Quota: testQuota, MaxMsgSize: cfworker.DefaultMaxMsgSize})
}

// The suite again with a fresh Go instance for every frame and every
// queue command (RELAY_*_KEEP_MS = 0): the plain syumai/workers model.
func TestWorkerProtocolFreshInstances(t *testing.T) {
	needWorker(t)
	w, err := cftest.Start(cftest.Options{Quota: testQuota, NoBuild: true,
		Vars: map[string]string{"RELAY_SESSION_KEEP_MS": "0", "RELAY_QUEUE_KEEP_MS": "0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	protosuite.Run(t, protosuite.Target{URL: w.URL, HTTPURL: w.HTTPURL, Quota: testQuota, MaxMsgSize: cfworker.DefaultMaxMsgSize})
	if t.Failed() {
		t.Logf("wrangler output (tail):\n%s", tail(w.Log(), 6000))
	}
}
