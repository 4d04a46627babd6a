package chat_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/backup"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/fakeagent"
	"github.com/sxweb/sxweb/internal/fakefiles"
)

// chatUser is a user of these tests, with its store and file bytes.
type chatUser struct {
	*chat.Client
	Name  string
	st    *memstore.Store
	Files *fakefiles.Store
}

func users(t *testing.T, names ...string) []*chatUser {
	net, relay := fakeagent.NewNetwork(), fakefiles.NewRelay()
	var out []*chatUser
	for _, n := range names {
		st, fs := memstore.New(), fakefiles.NewStore()
		ag := net.NewAgent(n, st)
		c, err := chat.New(chat.Config{Store: st, Agent: ag, Files: fs, FileRelay: fakeFileRelay, FileHTTP: relay})
		if err != nil {
			t.Fatal(err)
		}
		ag.SetHandler(c.HandleEvent)
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.SetProfile(ctx, chat.Profile{DisplayName: n}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ag.Close(); c.Close() })
		out = append(out, &chatUser{Client: c, Name: n, st: st, Files: fs})
	}
	return out
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out: %s", what)
		}
	}
}

// connectUsers makes a and b contacts; their contact ids.
func connectUsers(t *testing.T, a, b *chatUser) (string, string) {
	inv, err := a.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := b.Connect(ctx, inv.Link)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "connected", func() bool {
		ac, _ := a.Contacts(ctx)
		bcs, _ := b.Contacts(ctx)
		return len(ac) == 1 && ac[0].Status == "connected" && len(bcs) == 1 && bcs[0].Status == "connected"
	})
	return inv.ContactID, bc
}

func TestSchemaVersion(t *testing.T) {
	u := users(t, "ann")[0]
	v, err := u.st.Get(ctx, "c.meta", "schema")
	if err != nil || string(v) != strconv.Itoa(chat.SchemaVersion) {
		t.Fatalf("c.meta schema %q, %v; SchemaVersion %d", v, err, chat.SchemaVersion)
	}
}

// A backup of a user with files, with and without their bytes, restored
// into a new store: the messages and files are there; without the bytes,
// a received (downloaded) file is cancelled and my own is not offered as
// stored.
func TestBackupRestoreFiles(t *testing.T) {
	us := users(t, "ann", "bob")
	ann, bob := us[0], us[1]
	ac, bc := connectUsers(t, ann, bob)
	data := make([]byte, 200<<10)
	rand.Read(data)
	id := chat.NewFileID()
	ann.Files.Put(id, data)
	mid, err := ann.SendFile(ctx, chat.ChatRef{ContactID: ac}, chat.FileSpec{ID: id, Name: "a.bin", Size: int64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	var bmid string
	eventually(t, "bob sees the file", func() bool {
		ms, _ := bob.Messages(ctx, chat.ChatRef{ContactID: bc})
		if len(ms) == 1 && ms[0].File != nil && ms[0].File.State == chat.FileAvailable {
			bmid = ms[0].MessageID
			return true
		}
		return false
	})
	if err := bob.DownloadFile(ctx, bmid); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u     *chatUser
		mid   string
		ref   chat.ChatRef
		state string // the file's state after a restore without bytes
	}{
		{ann, mid, chat.ChatRef{ContactID: ac}, chat.FileSent},
		{bob, bmid, chat.ChatRef{ContactID: bc}, chat.FileCancelled},
	} {
		for _, withFiles := range []bool{false, true} {
			restored := backupRestore(t, c.u, withFiles)
			_, _, err := restored.FileOf(ctx, c.mid)
			if withFiles {
				if err != nil {
					t.Fatalf("%s: with files: FileOf: %v", c.u.Name, err)
				}
				continue
			}
			if chat.ErrorCode(err) != chat.CodeNotFound {
				t.Fatalf("%s: restored without bytes: FileOf = %v", c.u.Name, err)
			}
			ms, err := restored.Messages(ctx, c.ref)
			if err != nil || len(ms) != 1 || ms[0].File.State != c.state || ms[0].File.Name != "a.bin" {
				t.Fatalf("%s: restored messages %+v, %v", c.u.Name, ms, err)
			}
		}
	}
}

// backupRestore exports u's store (with its files' bytes or not) under the
// client's lock and imports it into a new store with a new client on it.
func backupRestore(t *testing.T, u *chatUser, withFiles bool) *chat.Client {
	t.Helper()
	var buf bytes.Buffer
	w, err := backup.NewWriter(&buf, []byte("pass"), backup.WriterOptions{Schema: chat.SchemaVersion, Files: withFiles,
		Cost: kdf.Params{Time: 1, MemoryKiB: kdf.MinMemoryKiB, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	src := u.st
	err = u.Frozen(ctx, func(ctx context.Context, files []chat.FileCopy) error {
		s := backup.Source{Records: src, Data: u.Files}
		for _, f := range files {
			if withFiles {
				s.Files = append(s.Files, backup.File{ID: f.ID, Size: f.Size})
			}
		}
		return backup.Export(ctx, w, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	st, fs := memstore.New(), fakefiles.NewStore()
	res, err := backup.Import(ctx, func() (io.Reader, error) { return bytes.NewReader(buf.Bytes()), nil }, []byte("pass"),
		backup.Target{DB: st, Open: func(context.Context) (store.Store, backup.FileWriter, error) { return st, fs, nil }},
		backup.ImportOptions{Schema: chat.SchemaVersion})
	if err != nil {
		t.Fatal(err)
	}
	if err := chat.AfterRestore(ctx, st, res.Files); err != nil {
		t.Fatal(err)
	}
	if mb, mk := agent.RestoredMark(); !has(st, mb, mk) {
		t.Fatal("a restored store is not marked for the agent to re-synchronize")
	}
	c, err := chat.New(chat.Config{Store: st, Agent: fakeagent.NewNetwork().NewAgent(u.Name+"-restored", st), Files: fs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func has(st store.Store, bucket, key string) bool {
	_, err := st.Get(ctx, bucket, key)
	return err == nil
}
