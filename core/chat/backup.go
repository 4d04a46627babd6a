package chat

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/store"
)

// SchemaVersion is the version of the chat layer's records (schema, the
// c.meta record): what a backup of this app says it holds. A backup of an
// older schema is brought up to date by migrate like any older store.
const SchemaVersion = 2

// StoredFile is a file whose bytes this client keeps: a file of mine, or
// a received one that was downloaded.
type StoredFile struct {
	ID   string
	Size int64
}

// Frozen runs fn while no transaction can commit: nothing changes in the
// store under it (an export reads a consistent copy). files are the
// stored files at that moment. fn must not call the client: its calls
// would wait for fn. Incoming events wait too; keep fn short.
func (c *Client) Frozen(ctx context.Context, fn func(ctx context.Context, files []StoredFile) error) error {
	if c.closed.Load() {
		return newErr(CodeClosed, "client closed")
	}
	var ferr error
	err := c.ag.Update(ctx, func(at Tx) error {
		t := &tx{Tx: at, c: c, view: true, msgs: map[string]*msgRec{}, mem: map[string]*memberRec{}}
		fs, err := listJSON[fileRec](t, bFile, "")
		if err != nil {
			return err
		}
		var stored []StoredFile
		for _, f := range fs {
			if !f.Gone && !f.NoCopy && (f.Mine || f.State == FileDone) {
				stored = append(stored, StoredFile{ID: f.ID, Size: f.Size})
			}
		}
		ferr = fn(at.Context(), stored)
		return ferr
	})
	if ferr != nil {
		return ferr
	}
	return fromAgent(err)
}

// AfterRestore brings the records of a restored backup in line with the
// file bytes restored with it (restored: their ids). A received file
// without its bytes can be downloaded again (while the relay keeps it); a
// file of mine without them is no longer offered by getFile, and one
// still uploading fails. st is the restored store, before any client
// runs on it; one batch.
func AfterRestore(ctx context.Context, st store.Store, restored []string) error {
	have := map[string]bool{}
	for _, id := range restored {
		have[id] = true
	}
	o := store.NewOverlay(st)
	t := &tx{Tx: overlayTx{ctx: ctx, o: o}, msgs: map[string]*msgRec{}, mem: map[string]*memberRec{}}
	fs, err := listJSON[fileRec](t, bFile, "")
	if err != nil {
		return err
	}
	for i := range fs {
		f := &fs[i]
		if have[f.ID] || f.Gone {
			continue
		}
		switch {
		case f.Mine && f.State == FileUploading:
			f.NoCopy, f.State, f.Error = true, FileFailed, "the file's bytes were not in the backup"
		case f.Mine:
			f.NoCopy = true
		case f.State == FileDone || f.State == FileDownloading:
			f.State, f.Done, f.Next, f.DecState = FileAvailable, 0, 0, files.State{}
		default:
			continue
		}
		t.putFile(f)
		m, err := t.msg(f.MsgKey)
		if err != nil {
			return err
		}
		if m != nil {
			m.File = fileView(f)
			t.put(bMsg, f.MsgKey, m)
		}
	}
	return store.Commit(ctx, st, o.Batch())
}

// overlayTx is a Tx on a store overlay, without the agent (AfterRestore).
type overlayTx struct {
	ctx context.Context
	o   *store.Overlay
}

var errNoAgent = errors.New("chat: no agent here")

func (r overlayTx) Context() context.Context             { return r.ctx }
func (r overlayTx) Get(b, k string) ([]byte, error)      { return r.o.Get(r.ctx, b, k) }
func (r overlayTx) List(b, p string) ([]store.KV, error) { return r.o.List(r.ctx, b, p) }
func (r overlayTx) Put(b, k string, v []byte)            { r.o.Put(b, k, v) }
func (r overlayTx) Del(b, k string)                      { r.o.Del(b, k) }
func (r overlayTx) OnCommit(f func())                    { r.o.OnCommit(f) }
func (overlayTx) Reserve(int) error                      { return errNoAgent }
func (overlayTx) CreateInvitation() (string, string, error) {
	return "", "", errNoAgent
}
func (overlayTx) CreateAddress() (string, string, error) { return "", "", errNoAgent }
func (overlayTx) Join(string, []byte) (string, error)    { return "", errNoAgent }
func (overlayTx) Allow(string, string, []byte) error     { return errNoAgent }
func (overlayTx) DeleteConnection(string, bool) error    { return errNoAgent }
func (overlayTx) AcceptRequest(string, string, []byte) (string, error) {
	return "", errNoAgent
}
func (overlayTx) Send(string, []byte, agent.SendOptions) (uint64, error) {
	return 0, errNoAgent
}
func (overlayTx) SendMany([]string, []byte, agent.SendOptions) (int, error) {
	return 0, errNoAgent
}
