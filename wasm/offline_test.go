//go:build js && wasm

package main

import "testing"

// TestOpenWhileOfflineResolves: with the relay unreachable (the page is
// offline), open still resolves and the local API works — the offline
// reload must boot from IndexedDB. Messages written meanwhile are queued.
func TestOpenWhileOfflineResolves(t *testing.T) {
	c := newClientOn(t, "offline", "ws://127.0.0.1:9/relay") // nothing can connect there
	if got := str(c.call("getProfile"), "displayName"); got != "offline" {
		t.Fatalf("getProfile() offline = %q", got)
	}
	g := str(c.call("createGroup", map[string]any{"displayName": "later"}), "groupId")
	if length(c.call("groups")) != 1 || g == "" {
		t.Fatal("createGroup offline did not stick")
	}
}
