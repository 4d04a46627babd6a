package relay_test

import (
	"testing"

	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// The protocol suite (the same one the Cloudflare Worker passes) against
// the native relay with its bbolt store. The other tests of this package
// are of what only the native relay has: durability across kill -9, the
// store file, expiry by the store, the idle timeout, output flow control,
// cmd/relay's flags and the import rules.
func TestProtocol(t *testing.T) {
	r := relaytest.Start(t, relay.Config{Quota: 3, MaxMsgSize: 1000})
	protosuite.Run(t, protosuite.Target{URL: r.URL, HTTPURL: r.HTTPURL, Quota: 3, MaxMsgSize: 1000})
}
