package agentconn_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/relaytest"
)

// A call that needs the relay (a group link is a new queue) while no relay
// connection is up waits a little for one being made: it succeeds when
// the relay comes back within the wait, and rejects NOT_CONNECTED (not
// AGENT) when it does not.
func TestCallWaitsForTheRelayThenNotConnected(t *testing.T) {
	if testing.Short() {
		t.Skip("real relay process skipped in -short")
	}
	proc := relaytest.StartProcess(t)
	open := func(wait time.Duration) *chat.Client {
		c, ag := openClient(t, memstore.New(), proc.URL, clientOpts{connectWait: wait, retryMax: 50 * time.Millisecond})
		t.Cleanup(func() { c.Close(); ag.Close() })
		if err := c.SetProfile(ctx, chat.Profile{DisplayName: "owner"}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	quick, patient := open(300*time.Millisecond), open(20*time.Second)
	gq := must(t)(quick.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	gp := must(t)(patient.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	proc.Kill()
	if _, err := quick.CreateGroupLink(ctx, gq); chat.ErrorCode(err) != chat.CodeNotConnected {
		t.Fatalf("CreateGroupLink with the relay down = %v, want %s", err, chat.CodeNotConnected)
	}
	go func() {
		time.Sleep(500 * time.Millisecond)
		proc.Restart()
	}()
	if link, err := patient.CreateGroupLink(ctx, gp); err != nil || link == "" {
		t.Fatalf("CreateGroupLink while the relay comes back = %q, %v", link, err)
	}
}
