//go:build js && wasm

package main

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestMeasureMessages logs what messages() costs on a chat of
// SXWEB_MEASURE_MESSAGES messages, whole and by pages of 50 (numbers for
// docs/browser-internals.md; a measurement, not an assertion):
//
//	SXWEB_MEASURE_MESSAGES=10000 GOOS=js GOARCH=wasm go test -run TestMeasureMessages -v \
//	  -exec "$PWD/wasm/testrunner/chromium.sh" ./wasm/
func TestMeasureMessages(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SXWEB_MEASURE_MESSAGES"))
	if n <= 0 {
		t.Skip("SXWEB_MEASURE_MESSAGES not set")
	}
	alice := newClient(t, "alice")
	g := str(alice.call("createGroup", map[string]any{"displayName": "log"}), "groupId")
	t0 := time.Now()
	for i := range n {
		alice.call("sendGroupMessage", g, fmt.Sprintf("message number %d of the measurement", i))
	}
	t.Logf("%d sendGroupMessage: %v", n, time.Since(t0))
	measure := func(what string, q map[string]any) {
		const runs = 5
		var best time.Duration
		for i := range runs {
			t0 := time.Now()
			alice.call("messages", q)
			if d := time.Since(t0); i == 0 || d < best {
				best = d
			}
		}
		t.Logf("messages(%s) of %d: best of %d %v", what, n, runs, best)
	}
	measure("{groupId}", map[string]any{"groupId": g})
	page := alice.call("messages", map[string]any{"groupId": g, "limit": 50})
	measure("{groupId, limit: 50}", map[string]any{"groupId": g, "limit": 50})
	measure("{groupId, limit: 50, before}", map[string]any{"groupId": g, "limit": 50, "before": str(page, 0, "messageId")})
}
