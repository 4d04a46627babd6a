package protosuite

import "testing"

// Target is the relay under test and the limits it was started with.
type Target struct {
	URL        string // ws:// or wss:// URL of the relay
	HTTPURL    string // http:// URL of the same relay (plain GET hello, POST)
	Quota      int    // messages per queue (small: the quota test fills a queue)
	MaxMsgSize int    // largest SEND body
}

// Run runs every protocol test against tg as subtests.
func Run(t *testing.T, tg Target) {
	tests := []struct {
		name string
		f    func(*testing.T, Target)
	}{
		{"CreateSecureSendAck", testCreateSecureSendAck},
		{"RedeliveryAfterResubscribe", testRedeliveryAfterResubscribe},
		{"SecondSubscriberEndsFirst", testSecondSubscriberEndsFirst},
		{"GetSuspendDelete", testGetSuspendDelete},
		{"QuotaAndOversize", testQuotaAndOversize},
		{"NoKeyNoAccess", testNoKeyNoAccess},
		{"TagBoundToSession", testTagBoundToSession},
		{"MalformedFrames", testMalformedFrames},
		{"HTTPPost", testHTTPPost},
		{"HTTPReplay", testHTTPReplay},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, tg) })
	}
}
