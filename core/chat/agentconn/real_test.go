package agentconn_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/chattest"
	"github.com/sxweb/sxweb/internal/fakefiles"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

var ctx = context.Background()

// onRelay makes users on the real agent and one real relay (127.0.0.1),
// with one file relay.
func onRelay(url string) chattest.Factory {
	return func(t testing.TB, auto bool, names ...string) []*chattest.User {
		t.Helper()
		files := fakefiles.NewRelay()
		var out []*chattest.User
		for _, n := range names {
			u := newUser(t, url, n, auto, files)
			out = append(out, u)
		}
		chattest.Track(t, out)
		return out
	}
}

// newUser opens a user on the real agent; Stop closes it (the user is
// offline: the relay keeps its messages) and Start opens it again on the
// same store.
func newUser(t testing.TB, url, name string, auto bool, fileRelay ...*fakefiles.Relay) *chattest.User {
	t.Helper()
	o := clientOpts{auto: auto, files: fakefiles.NewStore()}
	if len(fileRelay) > 0 {
		o.fileRelay = fileRelay[0]
	}
	u := userOn(t, memstore.New(), url, name, o)
	if err := u.SetProfile(ctx, chat.Profile{DisplayName: name, FullName: name + " Full"}); err != nil {
		t.Fatal(err)
	}
	return u
}

// userOn opens a user's app on st. Backup copies st as it is; opening the
// copy is a new app on it (an older backup imported elsewhere).
func userOn(t testing.TB, st *memstore.Store, url, name string, o clientOpts) *chattest.User {
	t.Helper()
	c, ag := openClient(t, st, url, o)
	u := &chattest.User{Client: c, Name: name, Raw: agentconn.Agent{Agent: ag}, Files: o.files, FileRelay: o.fileRelay}
	u.Stop = func() { u.Client.Close(); ag.Close() }
	u.Start = func() {
		c, ag = openClient(t, st, url, o)
		u.Client, u.Raw = c, agentconn.Agent{Agent: ag}
	}
	u.Backup = func() func() *chattest.User {
		snap := st.Clone()
		return func() *chattest.User {
			r := userOn(t, snap, url, name+"'", o)
			chattest.Track(t, []*chattest.User{r})
			return r
		}
	}
	t.Cleanup(func() { u.Client.Close(); ag.Close() })
	return u
}

func relayFactory(t *testing.T) chattest.Factory {
	if testing.Short() {
		t.Skip("real relay scenarios skipped in -short")
	}
	return onRelay(relaytest.Start(t, relay.Config{}).URL)
}
func TestForgedIntroductionFromNonAdminIgnored(t *testing.T) {
	chattest.ForgedIntroductionFromNonAdminIgnored(t, relayFactory(t))
}

func TestRemovedMemberCannotPost(t *testing.T) { chattest.RemovedMemberCannotPost(t, relayFactory(t)) }

func TestRolesLeaveAndDelete(t *testing.T) { chattest.RolesLeaveAndDelete(t, relayFactory(t)) }

func TestIncognitoMemberContactShowsIncognitoProfile(t *testing.T) {
	chattest.IncognitoMemberContactShowsIncognitoProfile(t, relayFactory(t))
}

func TestDeleteAndRecreateMemberContact(t *testing.T) {
	chattest.DeleteAndRecreateMemberContact(t, relayFactory(t))
}

func TestSimultaneousInvitationsEndWithOneContact(t *testing.T) {
	chattest.SimultaneousInvitationsEndWithOneContact(t, relayFactory(t))
}

func TestDirectChatOnDemandQueuedInOrder(t *testing.T) {
	chattest.DirectChatOnDemandQueuedInOrder(t, relayFactory(t))
}

func TestDirectMessagesOff(t *testing.T) { chattest.DirectMessagesOff(t, relayFactory(t)) }

func TestContactByInvitation(t *testing.T) { chattest.ContactByInvitation(t, relayFactory(t)) }

func TestGroupOfSixWithoutDirectConnections(t *testing.T) {
	chattest.GroupOfSixWithoutDirectConnections(t, relayFactory(t))
}

func TestDirectConnectionsOptIn(t *testing.T) { chattest.DirectConnectionsOptIn(t, relayFactory(t)) }

// TestLargeGroupOnRelay: 20 members; CHAT_LARGE=n (with -v) for more.
func TestLargeGroupOnRelay(t *testing.T) {
	n := 20
	if s := os.Getenv("CHAT_LARGE"); s != "" && testing.Verbose() {
		n, _ = strconv.Atoi(s)
	}
	chattest.LargeGroup(t, relayFactory(t), n)
}
func TestRoleChange(t *testing.T) { chattest.RoleChange(t, relayFactory(t)) }

func TestLeaveWhileConnectingEndsDeliveries(t *testing.T) {
	chattest.LeaveWhileConnectingEndsDeliveries(t, relayFactory(t))
}

func TestIdempotentSend(t *testing.T) { chattest.IdempotentSend(t, relayFactory(t)) }

func TestConcurrentCallsAndEvents(t *testing.T) {
	chattest.ConcurrentCallsAndEvents(t, relayFactory(t))
}

func TestRepliesEditsDeletesReactions(t *testing.T) {
	chattest.RepliesEditsDeletesReactions(t, relayFactory(t))
}

func TestForgedChangesIgnored(t *testing.T) { chattest.ForgedChangesIgnored(t, relayFactory(t)) }

func TestChangesForwardedBeforeConnected(t *testing.T) {
	chattest.ChangesForwardedBeforeConnected(t, relayFactory(t))
}

func TestTimedMessages(t *testing.T) { chattest.TimedMessages(t, relayFactory(t)) }

func TestHistoryForNewMembers(t *testing.T) { chattest.HistoryForNewMembers(t, relayFactory(t)) }

func TestFilesToAGroup(t *testing.T) { chattest.FilesToAGroup(t, relayFactory(t)) }

func TestFileBetweenContacts(t *testing.T) { chattest.FileBetweenContacts(t, relayFactory(t)) }

func TestFileGoesWithItsMessage(t *testing.T) { chattest.FileGoesWithItsMessage(t, relayFactory(t)) }

func TestFileCopiesOnThisDevice(t *testing.T) { chattest.FileCopiesOnThisDevice(t, relayFactory(t)) }

func TestFileBadInput(t *testing.T) { chattest.FileBadInput(t, relayFactory(t)) }

func TestFileForAMemberConnectedLater(t *testing.T) {
	chattest.FileForAMemberConnectedLater(t, relayFactory(t))
}

func TestContactRestoredFromStaleBackup(t *testing.T) {
	chattest.ContactRestoredFromStaleBackup(t, relayFactory(t))
}

func TestGroupMemberRestoredFromStaleBackup(t *testing.T) {
	chattest.GroupMemberRestoredFromStaleBackup(t, relayFactory(t))
}

func TestMovedToAnotherBrowser(t *testing.T) { chattest.MovedToAnotherBrowser(t, relayFactory(t)) }
