//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// client is one opened handle, driven the way simplex.js drives it.
type client struct {
	t      *testing.T
	h      safejs.Value
	events safejs.Value // JS array of every event the sink got
}

func newClient(t *testing.T, name string) *client { return newClientOn(t, name, fakeRelay) }

// newClientOn opens a client whose only relay is relayURL.
func newClientOn(t *testing.T, name, relayURL string) *client {
	t.Helper()
	h, err := openJS(t, map[string]any{"db": freshDB() + "-" + name, "relays": []any{relayURL}, "appURL": "http://127.0.0.1:1/",
		"fileRelay": fakeFileRelay})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	evs, _ := safejs.MustGetGlobal("Array").New()
	sink, _ := safejs.MustGetGlobal("Function").New("evs", "return (ev) => { evs.push(ev); };")
	fn, _ := sink.Invoke(evs)
	h.Call("setEventSink", fn)
	c := &client{t: t, h: h, events: evs}
	t.Cleanup(func() { c.call("close") })
	c.call("setProfile", map[string]any{"displayName": name, "fullName": name + " Full"})
	return c
}

func (c *client) try(name string, args ...any) (safejs.Value, error) {
	c.t.Helper()
	p, err := c.h.Call(name, args...)
	if err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	return awaitT(c.t, p)
}

func (c *client) call(name string, args ...any) safejs.Value {
	c.t.Helper()
	v, err := c.try(name, args...)
	if err != nil {
		c.t.Fatalf("%s(%v): %v", name, args, err)
	}
	return v
}

func str(v safejs.Value, path ...any) string {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v, _ = v.Get(p)
		case int:
			v, _ = v.Index(p)
		}
	}
	if v.Type() != safejs.TypeString {
		return fmt.Sprintf("<%s>", v.Type())
	}
	s, _ := v.String()
	return s
}

func length(v safejs.Value) int { n, _ := v.Length(); return n }

// eventually polls cond (a generous limit, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestGroupThroughTheJSAPI(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	if got := str(alice.call("getProfile"), "displayName"); got != "alice" {
		t.Fatalf("getProfile().displayName = %q", got)
	}
	g := str(alice.call("createGroup", map[string]any{"displayName": "team", "directMessages": "on"}), "groupId")
	link := str(alice.call("createGroupLink", g))
	bg := str(bob.call("joinGroup", link, map[string]any{"incognito": false}), "groupId")
	eventually(t, "bob sees alice connected", func() bool {
		ms := bob.call("members", bg)
		return length(ms) == 1 && str(ms, 0, "status") == "connected"
	})
	groups := alice.call("groups")
	if length(groups) != 1 || str(groups, 0, "displayName") != "team" || str(groups, 0, "directMessages") != "on" {
		t.Fatalf("groups() = %d groups, %q", length(groups), str(groups, 0, "displayName"))
	}
	if str(alice.call("sendGroupMessage", g, "hello team"), "messageId") == "" {
		t.Fatal("sendGroupMessage returned no messageId")
	}
	eventually(t, "bob has the message", func() bool {
		ms := bob.call("messages", map[string]any{"groupId": bg})
		return length(ms) == 1 && str(ms, 0, "text") == "hello team"
	})
	ms := bob.call("messages", map[string]any{"groupId": bg})
	aliceID := str(bob.call("members", bg), 0, "memberId")
	if str(ms, 0, "sender") != aliceID || str(ms, 0, "messageId") == "" {
		t.Fatalf("bob's copy: sender %q, want alice's memberId %q", str(ms, 0, "sender"), aliceID)
	}
	// Bob's sink got a flat message event for it, after the group events.
	eventually(t, "bob's message event", func() bool {
		for i := 0; i < length(bob.events); i++ {
			if str(bob.events, i, "type") == "message" && str(bob.events, i, "text") == "hello team" {
				return str(bob.events, i, "groupId") == bg
			}
		}
		return false
	})
	if str(bob.events, 0, "type") == "message" {
		t.Fatal("a message event came before bob's group events")
	}
	st := alice.call("stats")
	if n, _ := mustGet(st, "groupConnections").Int(); n != 1 {
		t.Fatalf("alice stats().groupConnections = %d, want 1", n)
	}
}

func mustGet(v safejs.Value, name string) safejs.Value { f, _ := v.Get(name); return f }

// An incognito member sees, in groups() and its group events, the random
// name the others see; a member who is not incognito has no incognitoName.
func TestIncognitoNameThroughTheJSAPI(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	g := str(alice.call("createGroup", map[string]any{"displayName": "team"}), "groupId")
	bg := str(bob.call("joinGroup", str(alice.call("createGroupLink", g)), map[string]any{"incognito": true}), "groupId")
	eventually(t, "alice sees bob", func() bool { return length(alice.call("members", g)) == 1 })
	seen := str(alice.call("members", g), 0, "displayName")
	mine := bob.call("groups")
	if name := str(mine, 0, "incognitoName"); name != seen || name == "bob" || str(mine, 0, "groupId") != bg {
		t.Fatalf("bob's groups() incognitoName = %q, alice sees him as %q", name, seen)
	}
	if got := str(alice.call("groups"), 0, "incognitoName"); got != "<undefined>" {
		t.Fatalf("alice (not incognito) has incognitoName %s", got)
	}
	for i := 0; i < length(bob.events); i++ {
		if str(bob.events, i, "type") == "group" && str(bob.events, i, "incognitoName") != seen {
			t.Fatalf("bob's group event %d has incognitoName %q, want %q", i, str(bob.events, i, "incognitoName"), seen)
		}
	}
}

func TestDirectChatPendingThenAccepted(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	inv := alice.call("createInvitation")
	if str(inv, "link") == "" || str(inv, "contactId") == "" {
		t.Fatal("createInvitation() has no link or contactId")
	}
	bc := str(bob.call("connect", str(inv, "link")), "contactId")
	eventually(t, "contact connected", func() bool {
		cs := bob.call("contacts")
		return length(cs) == 1 && str(cs, 0, "contactId") == bc && str(cs, 0, "status") == "connected"
	})
	str(bob.call("sendDirectMessage", bc, "hi alice"), "messageId")
	ac := str(inv, "contactId")
	eventually(t, "alice has the direct message", func() bool {
		ms := alice.call("messages", map[string]any{"contactId": ac})
		return length(ms) == 1 && str(ms, 0, "text") == "hi alice" && str(ms, 0, "sender") == ac
	})
}

func TestEmptyListsAreArrays(t *testing.T) {
	alice := newClient(t, "alice")
	g := str(alice.call("createGroup", map[string]any{"displayName": "solo"}), "groupId")
	for _, c := range []struct {
		method string
		args   []any
	}{{"contacts", nil}, {"members", []any{g}}, {"messages", []any{map[string]any{"groupId": g}}}} {
		v := alice.call(c.method, c.args...)
		if ok, _ := v.InstanceOf(safejs.MustGetGlobal("Array")); !ok || length(v) != 0 {
			t.Errorf("%s() on nothing = %s, want []", c.method, v.Type())
		}
	}
}

func TestErrorCodesThroughTheJSAPI(t *testing.T) {
	alice := newClient(t, "alice")
	cases := []struct {
		method string
		args   []any
		code   string
	}{
		{"connect", []any{"not a link"}, chat.CodeBadLink},
		{"members", []any{"no-such-group"}, chat.CodeNotFound},
		{"messages", []any{map[string]any{}}, chat.CodeBadRequest},
		{"sendGroupMessage", []any{1, "x"}, bridge.CodeBadArgument},
		{"createGroup", []any{map[string]any{"displayName": 5}}, bridge.CodeBadArgument},
		{"joinGroup", []any{"x", "not options"}, bridge.CodeBadArgument},
	}
	for _, c := range cases {
		_, err := alice.try(c.method, c.args...)
		var r *bridge.Rejection
		if !errors.As(err, &r) || r.Code != c.code {
			t.Errorf("%s(%v) = %v, want code %s", c.method, c.args, err, c.code)
		}
	}
}

func TestQuotaCode(t *testing.T) {
	err := &chat.Error{Code: chat.CodeStore, Err: fmt.Errorf("apply: %w", store.ErrQuota)}
	if got := bridge.CodeOf(err); got != bridge.CodeQuota {
		t.Fatalf("code of a chat store error on a full disk = %q, want QUOTA", got)
	}
	if got := bridge.CodeOf(&chat.Error{Code: chat.CodeNotAllowed}); got != chat.CodeNotAllowed {
		t.Fatalf("code = %q", got)
	}
}

// messages({groupId, limit, before}) pages back through a chat, each page
// oldest first; without limit it is the whole chat.
func TestMessagesPaging(t *testing.T) {
	alice := newClient(t, "alice")
	g := str(alice.call("createGroup", map[string]any{"displayName": "log"}), "groupId")
	for i := range 12 {
		alice.call("sendGroupMessage", g, fmt.Sprint("m", i))
	}
	if n := length(alice.call("messages", map[string]any{"groupId": g})); n != 12 {
		t.Fatalf("whole chat: %d messages, want 12", n)
	}
	var got []string
	before := ""
	for {
		q := map[string]any{"groupId": g, "limit": 5}
		if before != "" {
			q["before"] = before
		}
		page := alice.call("messages", q)
		if length(page) == 0 {
			break
		}
		var texts []string
		for i := range length(page) {
			texts = append(texts, str(page, i, "text"))
		}
		got = append(texts, got...)
		before = str(page, 0, "messageId")
	}
	want := fmt.Sprint([]string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"})
	if fmt.Sprint(got) != want {
		t.Fatalf("paged back %v, want %v", got, want)
	}
	_, err := alice.try("messages", map[string]any{"groupId": g, "limit": 5, "before": "nope"})
	var r *bridge.Rejection
	if !errors.As(err, &r) || r.Code != chat.CodeNotFound {
		t.Fatalf("before an unknown message: %v, want NOT_FOUND", err)
	}
}

// The message features through the JS API: a reply with a mention, an
// edit, a reaction, moderation-free delete, markRead; "update" events and
// the messages() fields (quote, edited, reactions, deleted, mentioned).
func TestMessageFeaturesThroughTheJSAPI(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	g := str(alice.call("createGroup", map[string]any{"displayName": "team"}), "groupId")
	bg := str(bob.call("joinGroup", str(alice.call("createGroupLink", g)), map[string]any{}), "groupId")
	eventually(t, "connected", func() bool {
		ms := bob.call("members", bg)
		return length(ms) == 1 && str(ms, 0, "connection") == "direct"
	})
	first := str(alice.call("sendGroupMessage", g, "question"), "messageId")
	eventually(t, "bob has it", func() bool { return length(bob.call("messages", map[string]any{"groupId": bg})) == 1 })
	if n := num(bob.call("groups"), 0, "unread"); n != 1 {
		t.Fatalf("bob's unread = %v", n)
	}
	bob.call("markRead", map[string]any{"groupId": bg})
	if n := num(bob.call("groups"), 0, "unread"); n != 0 {
		t.Fatalf("unread after markRead = %v", n)
	}
	q := str(bob.call("messages", map[string]any{"groupId": bg}), 0, "messageId")
	aliceID := str(bob.call("members", bg), 0, "memberId")
	bob.call("sendGroupMessage", bg, "@alice answer", map[string]any{"quote": q, "mentions": map[string]any{"alice": aliceID}})
	eventually(t, "alice has the reply", func() bool { return length(alice.call("messages", map[string]any{"groupId": g})) == 2 })
	reply, _ := alice.call("messages", map[string]any{"groupId": g}).Index(1)
	if str(reply, "quote", "messageId") != first || str(reply, "quote", "text") != "question" {
		t.Fatalf("quote %q/%q", str(reply, "quote", "messageId"), str(reply, "quote", "text"))
	}
	if m, _ := reply.Get("mentioned"); !truthy(m) {
		t.Fatal("alice is not marked mentioned")
	}
	alice.call("editMessage", first, "question, edited")
	alice.call("react", str(reply, "messageId"), "🚀")
	eventually(t, "bob sees the edit", func() bool {
		m, _ := bob.call("messages", map[string]any{"groupId": bg}).Index(0)
		e, _ := m.Get("edited")
		return str(m, "text") == "question, edited" && truthy(e)
	})
	eventually(t, "bob sees the reaction", func() bool {
		m, _ := bob.call("messages", map[string]any{"groupId": bg}).Index(1)
		return str(m, "reactions", 0, "emoji") == "🚀" && num(m, "reactions", 0, "count") == 1
	})
	if _, err := bob.try("react", q, "🐈"); codeOf(err) != "BAD_ARGUMENT" {
		t.Fatalf("react with 🐈: %v", err)
	}
	if _, err := bob.try("editMessage", q, "mine now"); codeOf(err) != chat.CodeNotAllowed {
		t.Fatalf("edit of another's message: %v", err)
	}
	alice.call("deleteMessage", first, map[string]any{"forEveryone": true})
	eventually(t, "bob sees it deleted by its sender", func() bool {
		m, _ := bob.call("messages", map[string]any{"groupId": bg}).Index(0)
		return str(m, "deleted") == "sender" && str(m, "text") == ""
	})
	eventually(t, "bob's update events", func() bool {
		n := 0
		for i := 0; i < length(bob.events); i++ {
			ev, _ := bob.events.Index(i)
			if str(ev, "type") == "update" && str(ev, "groupId") == bg {
				n++
			}
		}
		return n >= 3 // edit, reaction, delete
	})
}

func num(v safejs.Value, path ...any) float64 {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v, _ = v.Get(p)
		case int:
			v, _ = v.Index(p)
		}
	}
	f, _ := v.Float()
	return f
}

func truthy(v safejs.Value) bool { b, _ := v.Bool(); return b }

func codeOf(err error) string {
	var r *bridge.Rejection
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}
