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
