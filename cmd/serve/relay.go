package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/files"
	"github.com/sxweb/sxweb/relay/files/diskstore"
)

// fileOpts are the file relay's flags.
type fileOpts struct {
	lim    files.Limits
	expiry time.Duration
}

// newFiles opens the file relay with its store under dir/files, sharing
// the message relay's request deadline, per-address request cap, free
// disk watermark and proxy header.
func newFiles(dir string, lim relay.Limits, o fileOpts) (*files.Server, error) {
	o.lim.Shared(lim.RequestTimeout, lim.MaxConnsPerAddr, lim.MinFreeDisk, lim.ClientIPHeader)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return diskstore.OpenServer(filepath.Join(dir, "files"), files.Config{Expiry: o.expiry, Logger: log, Limits: o.lim})
}

// newRelay opens the relay (package relay) with its store and key under
// dir and the given limits.
func newRelay(dir string, lim relay.Limits) (*relay.Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return relay.Open(dir, relay.Config{Logger: log, Limits: lim})
}
