package chat_test

import (
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakeagent"
	"github.com/sxweb/sxweb/internal/fakefiles"
)

// fakeFileRelay is where the users' files go (the in-memory relay answers any URL).
const fakeFileRelay = "https://files.test/files"

// fake makes users on one in-memory network, with one in-memory file relay.
func fake(t testing.TB, auto bool, names ...string) []*chattest.User {
	t.Helper()
	net := fakeagent.NewNetwork()
	relay := fakefiles.NewRelay()
	var out []*chattest.User
	for _, n := range names {
		st := memstore.New()
		ag := net.NewAgent(n, st)
		fs := fakefiles.NewStore()
		c, err := chat.New(chat.Config{Store: st, Agent: ag, AutoAcceptMemberContacts: auto,
			Files: fs, FileRelay: fakeFileRelay, FileHTTP: relay})
		if err != nil {
			t.Fatal(err)
		}
		ag.SetHandler(c.HandleEvent)
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.SetProfile(ctx, chat.Profile{DisplayName: n, FullName: n + " Full"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ag.Close(); c.Close() })
		out = append(out, &chattest.User{Client: c, Name: n, Raw: ag, Pause: ag.Pause, Resume: ag.Resume, Stop: ag.Pause, Start: ag.Resume,
			Files: fs, FileRelay: relay})
	}
	chattest.Track(t, out)
	return out
}
