package main

import (
	"log/slog"
	"net/http"
	"os"

	"github.com/sxweb/sxweb/relay"
)

// newRelay opens the relay (package relay) with its store and key under dir.
func newRelay(dir string) (http.Handler, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := relay.Open(dir, relay.Config{Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return srv, func() { srv.Close() }, nil
}
