package chat_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/sxweb/sxweb/internal/chattest"
)

var ctx = context.Background()

func TestForgedIntroductionFromNonAdminIgnored(t *testing.T) {
	chattest.ForgedIntroductionFromNonAdminIgnored(t, fake)
}

func TestRemovedMemberCannotPost(t *testing.T) { chattest.RemovedMemberCannotPost(t, fake) }

func TestRolesLeaveAndDelete(t *testing.T) { chattest.RolesLeaveAndDelete(t, fake) }

func TestDirectConnectionsOptIn(t *testing.T) { chattest.DirectConnectionsOptIn(t, fake) }

func TestIncognitoMemberContactShowsIncognitoProfile(t *testing.T) {
	chattest.IncognitoMemberContactShowsIncognitoProfile(t, fake)
}

func TestDeleteAndRecreateMemberContact(t *testing.T) {
	chattest.DeleteAndRecreateMemberContact(t, fake)
}

func TestSimultaneousInvitationsEndWithOneContact(t *testing.T) {
	chattest.SimultaneousInvitationsEndWithOneContact(t, fake)
}

func TestDirectChatOnDemandQueuedInOrder(t *testing.T) {
	chattest.DirectChatOnDemandQueuedInOrder(t, fake)
}

func TestDirectMessagesOff(t *testing.T) { chattest.DirectMessagesOff(t, fake) }

func TestContactByInvitation(t *testing.T) { chattest.ContactByInvitation(t, fake) }

func TestGroupOfSixWithoutDirectConnections(t *testing.T) {
	chattest.GroupOfSixWithoutDirectConnections(t, fake)
}
func TestLargeGroupInOneProcess(t *testing.T) {
	n := 40
	if testing.Verbose() && os.Getenv("CHAT_LARGE") != "" {
		n, _ = strconv.Atoi(os.Getenv("CHAT_LARGE"))
	}
	if testing.Short() {
		n = 12
	}
	chattest.LargeGroup(t, fake, n)
}
func TestRoleChange(t *testing.T) { chattest.RoleChange(t, fake) }

func TestLeaveWhileConnectingEndsDeliveries(t *testing.T) {
	chattest.LeaveWhileConnectingEndsDeliveries(t, fake)
}

func TestIdempotentSend(t *testing.T) { chattest.IdempotentSend(t, fake) }

func TestConcurrentCallsAndEvents(t *testing.T) { chattest.ConcurrentCallsAndEvents(t, fake) }

func TestRepliesEditsDeletesReactions(t *testing.T) { chattest.RepliesEditsDeletesReactions(t, fake) }

func TestForgedChangesIgnored(t *testing.T) { chattest.ForgedChangesIgnored(t, fake) }

func TestChangesForwardedBeforeConnected(t *testing.T) {
	chattest.ChangesForwardedBeforeConnected(t, fake)
}

func TestTimedMessages(t *testing.T) { chattest.TimedMessages(t, fake) }

func TestHistoryForNewMembers(t *testing.T) { chattest.HistoryForNewMembers(t, fake) }

func TestFilesToAGroup(t *testing.T) { chattest.FilesToAGroup(t, fake) }

func TestFileBetweenContacts(t *testing.T) { chattest.FileBetweenContacts(t, fake) }

func TestFileGoesWithItsMessage(t *testing.T) { chattest.FileGoesWithItsMessage(t, fake) }

func TestFileForAMemberConnectedLater(t *testing.T) {
	chattest.FileForAMemberConnectedLater(t, fake)
}

func TestFileCopiesOnThisDevice(t *testing.T) { chattest.FileCopiesOnThisDevice(t, fake) }

func TestFileBadInput(t *testing.T) { chattest.FileBadInput(t, fake) }
