package relay

import (
	"flag"
	"io"
	"testing"
)

func TestLimitFlags(t *testing.T) {
	var l Limits
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l.RegisterFlags(fs)
	if l.MaxStore != DefaultMaxStore || l.NewBurst != DefaultNewBurst {
		t.Fatalf("defaults: %+v", l)
	}
	err := fs.Parse([]string{"-max-store", "1.5GiB", "-min-free-disk", "500MB", "-new-burst", "-1", "-client-ip-header", "X-Forwarded-For"})
	if err != nil || l.MaxStore != 3<<29 || l.MinFreeDisk != 500e6 || l.NewBurst != -1 || l.ClientIPHeader != "X-Forwarded-For" {
		t.Fatalf("%+v %v", l, err)
	}
	for _, bad := range []string{"lots", "1XB", "", "1e30"} {
		if err := fs.Parse([]string{"-max-store", bad}); err == nil {
			t.Errorf("-max-store %q accepted", bad)
		}
	}
}
