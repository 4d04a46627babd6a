package files

import (
	"flag"
	"io"
	"testing"
	"time"
)

func TestFlags(t *testing.T) {
	var l Limits
	var expiry time.Duration
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l.RegisterFlags(fs, &expiry)
	if expiry != DefaultExpiry || l.MaxStore != DefaultMaxStore || l.MinRate != DefaultMinRate || l.MaxHeldPerAddr != DefaultMaxHeldPerAddr {
		t.Fatalf("defaults: %+v %v", l, expiry)
	}
	err := fs.Parse([]string{"-files-expiry", "24h", "-files-max-store", "100GiB", "-files-min-rate", "8KiB",
		"-files-max-per-ip", "-1", "-files-new-burst-per-ip", "10", "-files-max-uploads", "4"})
	if err != nil || expiry != 24*time.Hour || l.MaxStore != 100<<30 || l.MinRate != 8<<10 || l.MaxHeldPerAddr != -1 ||
		l.NewBurstPerAddr != 10 || l.MaxUploads != 4 {
		t.Fatalf("%+v %v %v", l, expiry, err)
	}
	l.Shared(5*time.Second, 7, 1<<20, "X-Real-IP")
	if l.RequestTimeout != 5*time.Second || l.MaxConnsPerAddr != 7 || l.MinFreeDisk != 1<<20 || l.ClientIPHeader != "X-Real-IP" {
		t.Fatalf("shared: %+v", l)
	}
	if d := l.withDefaults(); d.MaxRecipients != DefaultMaxRecipients || d.MaxHeldPerAddr != -1 {
		t.Fatalf("withDefaults: %+v", d)
	}
}
