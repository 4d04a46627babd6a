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
// SXWEB_MEASURE_MESSAGES messages, whole and by pages, and what opening
// the database costs, for a database sealed at rest and one in clear,
// taken in turns (numbers for docs/browser-internals.md and
// docs/browser-numbers.md; a measurement, not an assertion):
//
//	SXWEB_MEASURE_MESSAGES=10000 GOOS=js GOARCH=wasm go test -run TestMeasureMessages -v \
//	  -exec "$PWD/wasm/testrunner/chromium.sh" ./wasm/
func TestMeasureMessages(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SXWEB_MEASURE_MESSAGES"))
	if n <= 0 {
		t.Skip("SXWEB_MEASURE_MESSAGES not set")
	}
	type variant struct {
		name string
		opts map[string]any
		db   string
		c    *client
		g    string
	}
	vs := []*variant{{name: "in clear", opts: map[string]any{"atRest": false}}, {name: "sealed", opts: map[string]any{}}}
	for _, v := range vs {
		v.db = freshDB()
		c, err := openOn(t, v.db, v.opts)
		if err != nil {
			t.Fatal(err)
		}
		c.call("setProfile", map[string]any{"displayName": "m", "fullName": ""})
		v.c, v.g = c, str(c.call("createGroup", map[string]any{"displayName": "log"}), "groupId")
		t0 := time.Now()
		for i := range n {
			c.call("sendGroupMessage", v.g, fmt.Sprintf("message number %d of the measurement", i))
		}
		t.Logf("%s: %d sendGroupMessage: %v", v.name, n, time.Since(t0))
	}
	const runs = 9
	best := func(what string, f func(v *variant)) {
		b := make([]time.Duration, len(vs))
		for i := range runs {
			for k, v := range vs {
				t0 := time.Now()
				f(v)
				if d := time.Since(t0); i == 0 || d < b[k] {
					b[k] = d
				}
			}
		}
		for k, v := range vs {
			t.Logf("%s of %d, %s: best of %d %v", what, n, v.name, runs, b[k])
		}
	}
	best("messages({groupId})", func(v *variant) { v.c.call("messages", map[string]any{"groupId": v.g}) })
	best("messages({groupId, limit: 100})", func(v *variant) { v.c.call("messages", map[string]any{"groupId": v.g, "limit": 100}) })
	best("messages({groupId, limit: 50, before})", func(v *variant) {
		page := v.c.call("messages", map[string]any{"groupId": v.g, "limit": 50})
		v.c.call("messages", map[string]any{"groupId": v.g, "limit": 50, "before": str(page, 0, "messageId")})
	})
	best("close, open()", func(v *variant) {
		v.c.call("close")
		c, err := openOn(t, v.db, v.opts)
		if err != nil {
			t.Fatal(err)
		}
		v.c = c
	})
}
