package agentconn_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// panicky starts a chat client whose agent handler panics on any message
// whose body contains "boom" (a stand-in for a bug in the chat layer).
func panicky(t *testing.T, url string) *chat.Client {
	c, ag := openClient(t, memstore.New(), url, clientOpts{
		wrap: func(h agent.Handler) agent.Handler {
			return func(tx *agent.Tx, ev agent.Event) error {
				if m, ok := ev.(agent.Message); ok && bytes.Contains(m.Body, []byte("boom")) {
					panic("chat bug")
				}
				return h(tx, ev)
			}
		},
	})
	t.Cleanup(func() { c.Close(); ag.Close() })
	return c
}

// A message the chat handler panics on surfaces as an ErrorEvent with code
// HANDLER_FAILED (also in Skipped), stores nothing, and the next message
// still arrives.
func TestHandlerPanicIsAnErrorEvent(t *testing.T) {
	url := relaytest.Start(t, relay.Config{}).URL
	alice, bob := panicky(t, url), panicky(t, url)
	inv, err := alice.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := bob.Connect(ctx, inv.Link)
	if err != nil {
		t.Fatal(err)
	}
	limit, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	next := func() chat.Event {
		ev, err := bob.Events().Pop(limit)
		if err != nil {
			t.Fatalf("gave up waiting for bob's events: %v", err)
		}
		return ev
	}
	for {
		if e, ok := next().(chat.ContactEvent); ok && e.Contact.Status == "connected" {
			break
		}
	}
	for _, s := range []string{"boom", "after"} {
		if _, err := alice.SendDirectMessage(ctx, inv.ContactID, s); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for len(got) < 2 {
		switch e := next().(type) {
		case chat.ErrorEvent:
			if e.Code != chat.CodeHandlerFailed || e.ContactID != bc {
				t.Fatalf("error event %+v", e)
			}
			got = append(got, e.Code)
		case chat.MessageEvent:
			got = append(got, e.Message.Text)
		}
	}
	if got[0] != chat.CodeHandlerFailed || got[1] != "after" {
		t.Fatalf("bob saw %v, want the failure reported, then the next message", got)
	}
	ms, err := bob.Messages(ctx, chat.ChatRef{ContactID: bc})
	if err != nil || len(ms) != 1 || ms[0].Text != "after" {
		t.Fatalf("bob's messages %+v (%v)", ms, err)
	}
	sk, err := bob.Skipped(ctx)
	if err != nil || len(sk) != 1 || sk[0].Code != chat.CodeHandlerFailed {
		t.Fatalf("skipped %+v (%v)", sk, err)
	}
}
