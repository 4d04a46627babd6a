package chattest

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// sendFile stores data as u's file to send and sends it.
func sendFile(t *testing.T, u *User, ref chat.ChatRef, name string, data []byte, text, preview string) string {
	t.Helper()
	id := chat.NewFileID()
	u.Files.Put(id, data)
	return must[string](t)(u.SendFile(ctx, ref, chat.FileSpec{ID: id, Name: name, Size: int64(len(data)), Text: text, Preview: preview}))
}

// fileMsg is u's message of the group with a file named name.
func fileMsg(u *User, gid, name string) *chat.Message {
	return msgWith(u, gid, func(m chat.Message) bool { return m.File != nil && m.File.Name == name })
}

// received returns the bytes of a downloaded file.
func received(t *testing.T, u *User, messageID string) []byte {
	t.Helper()
	_, id, err := u.FileOf(ctx, messageID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Files.Bytes(id)
}

const tinyJPEG = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q=="

// FilesToAGroup: a file sent to a group is uploaded once (the relay holds
// about one copy, not one per member), every member sees it at once and
// downloads it intact; an image's preview shows before download and a
// small image downloads by itself; a chunk changed on the relay fails the
// download (nothing kept as done); where the group turned files off the
// sender is refused.
func FilesToAGroup(t *testing.T, mk Factory) {
	us := mk(t, false, "owner", "ann", "bob")
	gids := smallGroup(t, us, chat.GroupSettings{})
	owner, ann, bob := us[0], us[1], us[2]
	if owner.FileRelay == nil {
		t.Skip("no file relay")
	}
	data := make([]byte, 5<<20+123)
	rand.Read(data)
	sendFile(t, owner, chat.ChatRef{GroupID: gids[0]}, "report.pdf", data, "the report", "")
	for i, u := range us[1:] {
		waitFor(t, u.Name+" sees the file available", func() bool {
			m := fileMsg(u, gids[i+1], "report.pdf")
			return m != nil && m.File.State == chat.FileAvailable && m.Text == "the report" && m.File.Size == int64(len(data))
		})
	}
	waitFor(t, "the sender sees it sent", func() bool {
		m := fileMsg(owner, gids[0], "report.pdf")
		return m.File.State == chat.FileSent && m.File.Done == int64(len(data))
	})
	if stored := owner.FileRelay.Stored(); stored < int64(len(data)) || stored > int64(len(data))+64<<10+int64(len(data))/1000 {
		t.Fatalf("the relay stores %d bytes for a %d-byte file sent to 2 members: want one copy (and less than 64 KiB of padding)", stored, len(data))
	}
	am := fileMsg(ann, gids[1], "report.pdf")
	must[struct{}](t)(struct{}{}, ann.DownloadFile(ctx, am.MessageID))
	if got := received(t, ann, am.MessageID); !bytes.Equal(got, data) {
		t.Fatalf("ann downloaded %d bytes, not the file", len(got))
	}
	if m := fileMsg(ann, gids[1], "report.pdf"); m.File.State != chat.FileDone || m.File.Done != int64(len(data)) {
		t.Fatalf("ann's file %+v", m.File)
	}
	// a chunk changed on the relay: bob's download fails, nothing done
	owner.FileRelay.SetTamper(func(b []byte) []byte { b[len(b)/2] ^= 1; return b })
	bm := fileMsg(bob, gids[2], "report.pdf")
	if err := bob.DownloadFile(ctx, bm.MessageID); chat.ErrorCode(err) != chat.CodeFileFailed {
		t.Fatalf("download of a tampered chunk: %v", err)
	}
	if _, _, err := bob.FileOf(ctx, bm.MessageID); err == nil {
		t.Fatal("a failed download is readable")
	}
	owner.FileRelay.SetTamper(nil)
	must[struct{}](t)(struct{}{}, bob.DownloadFile(ctx, bm.MessageID)) // again, from the start
	if got := received(t, bob, bm.MessageID); !bytes.Equal(got, data) {
		t.Fatal("bob's second download is not the file")
	}
	// a small image: its preview shows at once, it downloads by itself
	img := make([]byte, 40<<10)
	rand.Read(img)
	sendFile(t, ann, chat.ChatRef{GroupID: gids[1]}, "cat.jpg", img, "", tinyJPEG)
	waitFor(t, "bob has the image by itself", func() bool {
		m := fileMsg(bob, gids[2], "cat.jpg")
		return m != nil && m.Preview == tinyJPEG && m.File.State == chat.FileDone
	})
	if got := received(t, bob, fileMsg(bob, gids[2], "cat.jpg").MessageID); !bytes.Equal(got, img) {
		t.Fatal("the image is not what was sent")
	}
	// files off
	must[struct{}](t)(struct{}{}, owner.SetGroupPreferences(ctx, gids[0], chat.Preferences{Features: chat.Features{Files: "off"}}))
	waitFor(t, "ann sees files off", func() bool { return groupOf(ann, gids[1]).Files == "off" })
	id := chat.NewFileID()
	ann.Files.Put(id, []byte("x"))
	if _, err := ann.SendFile(ctx, chat.ChatRef{GroupID: gids[1]}, chat.FileSpec{ID: id, Name: "x.txt", Size: 1}); chat.ErrorCode(err) != chat.CodeNotAllowed {
		t.Fatalf("a file where files are off: %v", err)
	}
	if ann.Files.Has(id) {
		t.Fatal("a refused file's bytes stay")
	}
}

// FileBetweenContacts: a file between contacts arrives whole, and once
// its one recipient has it the relay holds nothing of it; a file its
// sender cancels before it is downloaded leaves the relay.
func FileBetweenContacts(t *testing.T, mk Factory) {
	us := mk(t, false, "ann", "bob")
	ann, bob := us[0], us[1]
	if ann.FileRelay == nil {
		t.Skip("no file relay")
	}
	ac, bc := connect(t, ann, bob)
	data := make([]byte, 300<<10)
	rand.Read(data)
	// sent twice with one sendId (a retried call): one message, the
	// second copy of the bytes deleted
	var ids, mids []string
	for range 2 {
		id := chat.NewFileID()
		ann.Files.Put(id, data)
		ids = append(ids, id)
		mids = append(mids, must[string](t)(ann.SendFile(ctx, chat.ChatRef{ContactID: ac},
			chat.FileSpec{ID: id, Name: "notes.txt", Size: int64(len(data)), SendID: "s1"})))
	}
	if mids[0] != mids[1] || !ann.Files.Has(ids[0]) || ann.Files.Has(ids[1]) {
		t.Fatalf("a repeated sendId: messages %v, bytes kept %v %v", mids, ann.Files.Has(ids[0]), ann.Files.Has(ids[1]))
	}
	var mid string
	waitFor(t, "bob sees it", func() bool {
		ms, _ := bob.Messages(ctx, chat.ChatRef{ContactID: bc})
		if len(ms) == 1 && ms[0].File != nil && ms[0].File.State == chat.FileAvailable {
			mid = ms[0].MessageID
			return true
		}
		return false
	})
	must[struct{}](t)(struct{}{}, bob.DownloadFile(ctx, mid))
	if got := received(t, bob, mid); !bytes.Equal(got, data) {
		t.Fatal("not the file")
	}
	waitFor(t, "the relay holds nothing once bob has it", func() bool { return ann.FileRelay.Stored() == 0 })
	sendFile(t, ann, chat.ChatRef{ContactID: ac}, "draft.txt", data, "", "")
	availableIn(t, bob, bc, "draft.txt")
	before := ann.FileRelay.Stored()
	if before == 0 {
		t.Fatal("the relay holds nothing of a file bob has not downloaded")
	}
	must[struct{}](t)(struct{}{}, ann.CancelFile(ctx, fileIn(t, ann, ac, "draft.txt")))
	waitFor(t, "the chunks leave the relay", func() bool { return ann.FileRelay.Stored() < before })
}

// availableIn waits until u sees the file named name of contact cid
// available and returns its message id.
func availableIn(t *testing.T, u *User, cid, name string) string {
	t.Helper()
	var mid string
	waitFor(t, u.Name+" sees "+name, func() bool {
		ms, _ := u.Messages(ctx, chat.ChatRef{ContactID: cid})
		for _, m := range ms {
			if m.File != nil && m.File.Name == name && m.File.State == chat.FileAvailable {
				mid = m.MessageID
				return true
			}
		}
		return false
	})
	return mid
}

// fileIn is the message id of u's file named name of contact cid.
func fileIn(t *testing.T, u *User, cid, name string) string {
	t.Helper()
	for _, m := range must[[]chat.Message](t)(u.Messages(ctx, chat.ChatRef{ContactID: cid})) {
		if m.File != nil && m.File.Name == name {
			return m.MessageID
		}
	}
	t.Fatalf("%s has no file %s", u.Name, name)
	return ""
}
