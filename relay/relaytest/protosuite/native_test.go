package protosuite_test

import (
	"testing"

	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/relaytest"
	"github.com/sxweb/sxweb/relay/relaytest/protosuite"
)

// The suite against the native relay (package relay).
func TestNativeRelay(t *testing.T) {
	r := relaytest.Start(t, relay.Config{Quota: 3, MaxMsgSize: 1000})
	protosuite.Run(t, protosuite.Target{URL: r.URL, HTTPURL: r.HTTPURL, Quota: 3, MaxMsgSize: 1000})
}
