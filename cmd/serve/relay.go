package main

import (
	"log/slog"
	"os"

	"github.com/sxweb/sxweb/relay"
)

// newRelay opens the relay (package relay) with its store and key under
// dir and the given limits.
func newRelay(dir string, lim relay.Limits) (*relay.Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return relay.Open(dir, relay.Config{Logger: log, Limits: lim})
}
