package chattest

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/relay/filewire"
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

// storedFile is u's entry for message mid in its Files list.
func storedFile(t *testing.T, u *User, mid string) chat.StoredFile {
	t.Helper()
	for _, f := range must[[]chat.StoredFile](t)(u.Client.Files(ctx)) {
		if f.MessageID == mid {
			return f
		}
	}
	t.Fatalf("%s: no file of message %s listed", u.Name, mid)
	return chat.StoredFile{}
}

// FileCopiesOnThisDevice: the storage page's list says which files are
// here; deleting a received copy frees it (the file is then cancelled
// here: the relay forgot this recipient when it downloaded); deleting my
// own copy keeps the message (the others still have the file) but it is
// not readable here any more.
func FileCopiesOnThisDevice(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann := us[0], us[1]
	if owner.FileRelay == nil {
		t.Skip("no file relay")
	}
	data := make([]byte, 150<<10)
	rand.Read(data)
	om := sendFile(t, owner, chat.ChatRef{GroupID: gids[0]}, "kept.bin", data, "", "")
	am := downloaded(t, ann, gids[1], "kept.bin")
	aID := fileID(t, ann, am)
	if f := storedFile(t, ann, am); !f.Stored || f.Mine || f.Size != int64(len(data)) || f.GroupID != gids[1] {
		t.Fatalf("ann's listed file %+v", f)
	}
	must[struct{}](t)(struct{}{}, ann.DeleteFileCopy(ctx, am))
	waitFor(t, "ann's copy goes", func() bool { return !ann.Files.Has(aID) })
	if f := storedFile(t, ann, am); f.Stored || f.State != chat.FileCancelled {
		t.Fatalf("after deleting the copy: %+v", f)
	}
	if err := ann.DownloadFile(ctx, am); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("downloading a deleted copy again: %v", err)
	}
	oID := fileID(t, owner, om)
	waitFor(t, "the owner's upload ends", func() bool { return storedFile(t, owner, om).State == chat.FileSent })
	must[struct{}](t)(struct{}{}, owner.DeleteFileCopy(ctx, om))
	waitFor(t, "the owner's copy goes", func() bool { return !owner.Files.Has(oID) })
	if _, _, err := owner.FileOf(ctx, om); chat.ErrorCode(err) != chat.CodeNotFound {
		t.Fatalf("reading a deleted copy: %v", err)
	}
	if err := owner.DeleteFileCopy(ctx, om); chat.ErrorCode(err) != chat.CodeNotFound {
		t.Fatalf("deleting it again: %v", err)
	}
}

// forgedFile sends, as u on conn, a file message of its own making with
// protocol msgId id and then descr as its description.
func forgedFile(t *testing.T, u *User, conn, id string, size int64, descr string) {
	t.Helper()
	raw := func(msgID string, p proto.Params) []byte {
		b, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: proto.Bytes(msgID), Params: p})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	must[uint64](t)(RawSend(u, conn, raw(id, &proto.MsgNew{Content: proto.MsgContent{Type: "file", Text: id},
		File: &proto.FileInvitation{FileName: id + ".bin", FileSize: size}})))
	must[uint64](t)(RawSend(u, conn, raw(id+"-descr", &proto.MsgFileDescr{MsgID: proto.Bytes(id),
		FileDescr: proto.FileDescr{FileDescrText: descr, FileDescrComplete: true}})))
}

// strangerDescr is a well-formed description of chunks no relay knows.
func strangerDescr(t *testing.T, size int64) string {
	t.Helper()
	keys := must[files.Keys](t)(files.NewKeys())
	layout := must[[]files.Chunk](t)(files.Layout(size))
	d := files.Description{Relay: "https://files.test/files", Size: size, Keys: keys}
	for _, c := range layout {
		id, seed, digest := make([]byte, filewire.IDLen), make([]byte, 32), make([]byte, 32)
		rand.Read(id)
		rand.Read(seed)
		rand.Read(digest)
		d.Chunks = append(d.Chunks, files.DescChunk{Size: c.Size, Len: c.Len, Digest: digest, ID: id, Key: seed})
	}
	d.Digest = files.FileDigest(d.Chunks)
	return string(must[[]byte](t)(d.Marshal()))
}

// FileBadInput: a description that does not parse fails its file; one
// naming chunks the relay does not know (or someone else's) fails the
// download at the first chunk, not retried for ever; a description sent
// by a member for another's file is recorded and ignored.
func FileBadInput(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann, bob := us[0], us[1], us[2]
	if owner.FileRelay == nil {
		t.Skip("no file relay")
	}
	toAnn := owner.MemberConnection(ctx, gids[0], memberID(t, owner, gids[0], "ann"))
	forgedFile(t, owner, toAnn, "garbled", 1000, "{not a description")
	forgedFile(t, owner, toAnn, "stranger", 100000, strangerDescr(t, 100000))
	waitFor(t, "ann has both", func() bool {
		g, s := fileMsg(ann, gids[1], "garbled.bin"), fileMsg(ann, gids[1], "stranger.bin")
		return g != nil && s != nil && g.File.State == chat.FileFailed && s.File.State == chat.FileAvailable
	})
	if err := ann.DownloadFile(ctx, fileMsg(ann, gids[1], "stranger.bin").MessageID); chat.ErrorCode(err) != chat.CodeFileFailed {
		t.Fatalf("downloading chunks the relay does not know: %v", err)
	}
	// bob claims to describe the owner's file
	before := len(must[[]chat.ErrorEvent](t)(ann.Skipped(ctx)))
	bobToAnn := bob.MemberConnection(ctx, gids[2], memberID(t, bob, gids[2], "ann"))
	must[uint64](t)(RawSend(bob, bobToAnn, encode(&proto.MsgFileDescr{MsgID: proto.Bytes("stranger"),
		FileDescr: proto.FileDescr{FileDescrText: strangerDescr(t, 100000), FileDescrComplete: true}})))
	waitFor(t, "ann records bob's description", func() bool {
		return len(must[[]chat.ErrorEvent](t)(ann.Skipped(ctx))) > before
	})
	if m := fileMsg(ann, gids[1], "stranger.bin"); m.File.State != chat.FileFailed {
		t.Fatalf("the file after bob's description: %+v", m.File)
	}
}
