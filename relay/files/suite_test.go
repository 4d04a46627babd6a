package files_test

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/filesuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay/files"
)

// The conformance suite (the one the Worker passes too) against the
// file relay in process, on diskstore, with a clock the expiry test moves
// and a clean restart.
func TestConformance(t *testing.T) {
	clock := &relaytest.Clock{}
	f := relaytest.StartFiles(t, files.Config{Now: clock.Now, SweepEvery: -1})
	filesuite.Run(t, filesuite.Target{URL: f.URL, Now: clock.Now, Restart: f.Restart, Stored: f.Stored,
		Advance: func(d time.Duration) {
			clock.Advance(d)
			if _, err := f.Server().Expire(context.Background()); err != nil {
				t.Fatal(err)
			}
		},
		Leftovers: func() int { return len(f.TmpFiles()) }})
}

// The suite against cmd/relay as a process, the file relay at /files
// beside the message relay: Restart and Kill are kill -9 (chunks,
// recipients and uploads survive it; a chunk half uploaded at the crash
// is not visible after).
func TestConformanceProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cmd/relay as a process")
	}
	p := relaytest.StartProcess(t, "-files-new-burst-per-ip", "-1", "-files-max-per-ip", "-1")
	filesuite.Run(t, filesuite.Target{URL: p.FilesURL, Restart: p.Restart, Kill: p.Restart,
		Leftovers: func() int {
			_, n, err := p.FileBytes()
			if err != nil {
				t.Fatal(err)
			}
			return n
		}})
}
