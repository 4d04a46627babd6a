package cftest_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/filesuite"
	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// The file relay's conformance suite, unchanged, against the Worker in
// workerd: relay/files' handler in Go, a Durable Object per chunk, the
// bytes in R2 (simulated locally by wrangler dev). Restart and crash are
// the runtime's to handle, not the Worker's: those tests skip.
func TestWorkerFiles(t *testing.T) {
	w := needWorker(t)
	filesuite.Run(t, filesuite.Target{URL: w.HTTPURL + "files"})
}

// Expiry in real time: a Worker whose chunks expire after 10 s; the
// object's alarm deletes them (the suite's Advance waits).
func TestWorkerFilesExpiry(t *testing.T) {
	needWorker(t)
	w, err := cftest.Start(cftest.Options{NoBuild: true, Vars: map[string]string{"FILES_EXPIRY_SECONDS": "10"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	tg := filesuite.Target{URL: w.HTTPURL + "files", Expiry: 10 * time.Second, Advance: time.Sleep}
	t.Run("Expiry", func(t *testing.T) { filesuite.RunOne(t, tg, "Expiry") })
	if t.Failed() {
		t.Logf("wrangler output (tail):\n%s", tail(w.Log(), 6000))
	}
}
