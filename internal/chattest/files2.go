package chattest

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// fileID is the id u's file of message mid is stored under.
func fileID(t *testing.T, u *User, mid string) string {
	t.Helper()
	_, id, err := u.FileOf(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// downloaded waits until u sees the file named name in group gid, then
// downloads it and returns its message id.
func downloaded(t *testing.T, u *User, gid, name string) string {
	t.Helper()
	waitFor(t, u.Name+" sees "+name, func() bool {
		m := fileMsg(u, gid, name)
		return m != nil && m.File.State == chat.FileAvailable
	})
	mid := fileMsg(u, gid, name).MessageID
	must[struct{}](t)(struct{}{}, u.DownloadFile(ctx, mid))
	return mid
}

// FileGoesWithItsMessage: a file received and deleted here leaves this
// device (the sender's chunks stay for the others); a file its sender
// deletes for everyone leaves the relay, the sender's device and every
// recipient's.
func FileGoesWithItsMessage(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann := us[0], us[1]
	if owner.FileRelay == nil {
		t.Skip("no file relay")
	}
	data := make([]byte, 200<<10)
	rand.Read(data)
	sendFile(t, owner, chat.ChatRef{GroupID: gids[0]}, "a.bin", data, "", "")
	am := downloaded(t, ann, gids[1], "a.bin")
	aID := fileID(t, ann, am)
	kept := owner.FileRelay.Stored()
	must[struct{}](t)(struct{}{}, ann.DeleteMessage(ctx, am, chat.DeleteOptions{}))
	waitFor(t, "ann's copy goes", func() bool { return !ann.Files.Has(aID) })
	if got := owner.FileRelay.Stored(); got != kept {
		t.Fatalf("a receiver's deletion changed the relay: %d bytes, was %d", got, kept)
	}

	om := sendFile(t, owner, chat.ChatRef{GroupID: gids[0]}, "b.bin", data, "", "")
	oID := fileID(t, owner, om)
	bm := downloaded(t, ann, gids[1], "b.bin")
	bID := fileID(t, ann, bm)
	must[struct{}](t)(struct{}{}, owner.DeleteMessage(ctx, om, chat.DeleteOptions{ForEveryone: true}))
	waitFor(t, "the file leaves the relay and both devices", func() bool {
		return owner.FileRelay.Stored() == kept && !owner.Files.Has(oID) && !ann.Files.Has(bID)
	})
	if m := msgWith(ann, gids[1], func(m chat.Message) bool { return m.MessageID == bm }); m == nil || m.File != nil || m.Deleted == "" {
		t.Fatalf("ann's message after its deletion: %+v", m)
	}
}

// FileForAMemberConnectedLater: a member not yet connected with the
// sender gets the file's message forwarded, and, once connected, its own
// recipient ids and description: it downloads the file like the others.
func FileForAMemberConnectedLater(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	owner, ann, bob := us[0], us[1], us[2]
	if ann.Stop == nil || owner.FileRelay == nil {
		t.Skip("this agent cannot take a user offline, or no file relay")
	}
	gid := must[string](t)(owner.CreateGroup(ctx, chat.GroupSettings{DisplayName: "g"}))
	link := must[string](t)(owner.CreateGroupLink(ctx, gid))
	ag := must[string](t)(ann.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "ann in", func() bool { return connectedCount(ann, ag) == 1 && groupOf(ann, ag).Status == "active" })
	ann.Stop()
	bg := must[string](t)(bob.JoinGroup(ctx, link, chat.JoinOptions{}))
	waitFor(t, "bob in", func() bool { return groupOf(bob, bg).Status == "active" && memberNamed(bob, bg, "ann") != "" })
	data := make([]byte, 100<<10)
	rand.Read(data)
	sendFile(t, bob, chat.ChatRef{GroupID: bg}, "late.bin", data, "for everyone", "")
	waitFor(t, "the owner downloads it", func() bool {
		m := fileMsg(owner, gid, "late.bin")
		return m != nil && m.File.State == chat.FileAvailable
	})
	ann.Start()
	mid := downloaded(t, ann, ag, "late.bin")
	if got := received(t, ann, mid); !bytes.Equal(got, data) {
		t.Fatal("ann's copy is not the file")
	}
}
