package cftest_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// One Worker for every test of the package (starting wrangler takes
// seconds). Its quota is small so the quota test stays short.
const testQuota = 8

var (
	stopAfter []func() // more Workers to stop after the tests
	worker    *cftest.Worker
	skipWhy   string
	startFail error
)

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("SXWEB_SKIP_WORKER") != "" {
		skipWhy = "SXWEB_SKIP_WORKER is set"
	} else if testing.Short() {
		skipWhy = "-short"
	} else if w, err := cftest.Start(startOptions()); errors.Is(err, cftest.ErrNoWrangler) {
		skipWhy = err.Error()
	} else if err != nil {
		startFail = err
	} else {
		worker = w
	}
	code := m.Run()
	for _, stop := range stopAfter {
		stop()
	}
	if worker != nil {
		if code != 0 {
			fmt.Fprintf(os.Stderr, "--- wrangler output (tail) ---\n%s\n", tail(worker.Log(), 6000))
		}
		worker.Stop()
	}
	os.Exit(code)
}

// startOptions: SXWEB_WORKER_NOBUILD=1 reuses worker/build;
// SXWEB_WORKER_FRESH=1 starts a fresh Go instance per frame and per queue
// command (for the benchmark's comparison).
func startOptions() cftest.Options {
	o := cftest.Options{Quota: testQuota, NoBuild: os.Getenv("SXWEB_WORKER_NOBUILD") != ""}
	o.Vars = map[string]string{}
	if os.Getenv("SXWEB_WORKER_FRESH") != "" {
		o.Vars = map[string]string{"RELAY_SESSION_KEEP_MS": "0", "RELAY_QUEUE_KEEP_MS": "0"}
	}
	// SXWEB_WORKER_VARS="NAME=VALUE,..." sets more of the Worker's vars.
	for _, kv := range strings.Split(os.Getenv("SXWEB_WORKER_VARS"), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			o.Vars[k] = v
		}
	}
	return o
}

// needWorker skips (no wrangler) or fails (wrangler did not start).
func needWorker(tb testing.TB) *cftest.Worker {
	tb.Helper()
	if skipWhy != "" {
		tb.Skip("relay Worker tests skipped: " + skipWhy)
	}
	if startFail != nil {
		tb.Fatal(startFail)
	}
	return worker
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
