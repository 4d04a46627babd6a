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

// FileCopy is a file whose bytes are on this device (stored: mine until
// its copy was deleted, theirs once downloaded): what a backup can carry.
type FileCopy struct {
	ID   string
	Size int64
}

// Frozen runs fn while no transaction can commit: nothing changes in the
// store under it (an export reads a consistent copy). files are the
// stored files at that moment. fn must not call the client: its calls
// would wait for fn. Incoming events wait too; keep fn short.
func (c *Client) Frozen(ctx context.Context, fn func(ctx context.Context, files []FileCopy) error) error {
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
		var copies []FileCopy
		for i := range fs {
			if stored(&fs[i]) {
				copies = append(copies, FileCopy{ID: fs[i].ID, Size: fs[i].Size})
			}
		}
		ferr = fn(at.Context(), copies)
		return ferr
	})
	if ferr != nil {
		return ferr
	}
	return fromAgent(err)
}

// AfterRestore brings the records of a restored backup in line with the
// file bytes restored with it (restored: their ids): a file without its
// bytes is as if its copy had been deleted here (DeleteFileCopy). A
// received one, downloaded or being downloaded, is cancelled (its chunks
// were acknowledged on the relay as they came: it cannot be downloaded
// again); one not downloaded yet is left to download; mine is no longer
// offered by getFile, and one still uploading fails. It also writes the
// agent's RestoredMark: a backup's ratchets are behind its peers', so the
// next Start re-synchronizes every connection first. st is the restored
// store, before any client runs on it; one batch.
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
			f.Dropped, f.State, f.Error = true, FileFailed, "the file's bytes were not in the backup"
		case f.Mine:
			f.Dropped = true
		case f.State == FileDone || f.State == FileDownloading:
			f.Next, f.DecState, f.Done = 0, files.State{}, 0
			f.State, f.Cleaned, f.Dropped = FileCancelled, true, true
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
	b := o.Batch()
	mb, mk := agent.RestoredMark()
	b.Put(mb, mk, []byte{1})
	return store.Commit(ctx, st, b)
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
