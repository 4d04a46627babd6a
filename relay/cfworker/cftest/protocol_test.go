package cftest_test

import (
	"testing"

	"github.com/sxweb/sxweb/relay/cfworker"
	"github.com/sxweb/sxweb/relay/relaytest/protosuite"
)

// The relay's protocol suite, unchanged, against the Worker in workerd.
func TestWorkerProtocol(t *testing.T) {
	w := needWorker(t)
	protosuite.Run(t, protosuite.Target{URL: w.URL, HTTPURL: w.HTTPURL, Quota: testQuota, MaxMsgSize: cfworker.DefaultMaxMsgSize})
}
