//go:build js && wasm

package main

import (
	"os"
	"testing"
)

// TestDirectChatOverRealRelay is the whole browser stack in one page: two
// handles (two IndexedDB databases), the real agent, the browser WebSocket
// and a real relay. Needs withservers.sh and the Chromium runner.
func TestDirectChatOverRealRelay(t *testing.T) {
	base := os.Getenv("SXWEB_TEST_WS")
	if base == "" {
		t.Skip("SXWEB_TEST_WS not set: run under wasm/testrunner/withservers.sh with the Chromium runner")
	}
	alice, bob := newClientOn(t, "alice", base+"/relay"), newClientOn(t, "bob", base+"/relay")
	inv := alice.call("createInvitation")
	bc := str(bob.call("connect", str(inv, "link")), "contactId")
	ac := str(inv, "contactId")
	eventually(t, "contact connected on both sides", func() bool {
		a, b := alice.call("contacts"), bob.call("contacts")
		return length(a) == 1 && str(a, 0, "status") == "connected" &&
			length(b) == 1 && str(b, 0, "status") == "connected" && str(b, 0, "contactId") == bc
	})
	bob.call("reconnect") // connected: resolves, changes nothing
	bob.call("sendDirectMessage", bc, "first")
	bob.call("sendDirectMessage", bc, "second")
	eventually(t, "alice has both messages in order", func() bool {
		ms := alice.call("messages", map[string]any{"contactId": ac})
		return length(ms) == 2 && str(ms, 0, "text") == "first" && str(ms, 1, "text") == "second"
	})
	eventually(t, "bob sees them delivered", func() bool {
		ms := bob.call("messages", map[string]any{"contactId": bc})
		return length(ms) == 2 && str(ms, 1, "status") == "delivered"
	})
}

// TestGroupOverRealRelay: a group of three made by link over the real
// relay; every message reaches everyone and each member keeps N-1 group
// connections and no direct ones.
func TestGroupOverRealRelay(t *testing.T) {
	base := os.Getenv("SXWEB_TEST_WS")
	if base == "" {
		t.Skip("SXWEB_TEST_WS not set: run under wasm/testrunner/withservers.sh with the Chromium runner")
	}
	relay := base + "/relay"
	alice, bob, carol := newClientOn(t, "alice", relay), newClientOn(t, "bob", relay), newClientOn(t, "carol", relay)
	g := str(alice.call("createGroup", map[string]any{"displayName": "team", "directMessages": "on"}), "groupId")
	link := str(alice.call("createGroupLink", g))
	groups := map[*client]string{alice: g}
	for _, c := range []*client{bob, carol} {
		groups[c] = str(c.call("joinGroup", link, map[string]any{}), "groupId")
	}
	all := []*client{alice, bob, carol}
	eventually(t, "everyone connected to everyone", func() bool {
		for _, c := range all {
			ms := c.call("members", groups[c])
			if length(ms) != 2 || str(ms, 0, "status") != "connected" || str(ms, 1, "status") != "connected" {
				return false
			}
		}
		return true
	})
	for _, c := range all {
		c.call("sendGroupMessage", groups[c], "from "+str(c.call("getProfile"), "displayName"))
	}
	eventually(t, "every message reached everyone", func() bool {
		for _, c := range all {
			if length(c.call("messages", map[string]any{"groupId": groups[c]})) != 3 {
				return false
			}
		}
		return true
	})
	// A member shows "connected" while the host still forwards for it, so the
	// member-to-member group connection may complete a little later: wait for
	// it, then check that no direct connection was ever made.
	eventually(t, "every member has 2 group connections", func() bool {
		for _, c := range all {
			if gc, _ := mustGet(c.call("stats"), "groupConnections").Int(); gc != 2 {
				return false
			}
		}
		return true
	})
	for _, c := range all {
		st := c.call("stats")
		gc, _ := mustGet(st, "groupConnections").Int()
		dc, _ := mustGet(st, "directConnections").Int()
		if gc != 2 || dc != 0 {
			t.Errorf("stats: %d group, %d direct connections; want 2 and 0", gc, dc)
		}
	}
}
