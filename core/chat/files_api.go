package chat

import (
	"context"
	"errors"
	"mime"
	"path"
	"strings"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
)

// FileSpec is a file to send; its bytes are in the client's FileStore
// under ID already (the caller put them there: NewFileID names it).
type FileSpec struct {
	ID      string
	Name    string
	Type    string // MIME type ("" : from the name)
	Size    int64
	Text    string
	Preview string // an image's small preview: a JPEG or PNG data URL
	SendID  string // as SendOptions.SendID: a retried call sends once
}

// NewFileID mints the id a file's bytes are stored under.
func NewFileID() string { return newID() }

// maxFileSize bounds a file (the protocol's 64 GiB; the browser's quota
// is the real bound).
const maxFileSize = int64(files.MaxChunks) * files.MaxChunk / 2

// SendFile sends a file to a group or a contact: the message (with an
// image's preview) goes at once, the file is encrypted and uploaded once
// to the file relay in the background, and each recipient then gets its
// description. Where a group turned files off: NOT_ALLOWED. SendFile owns
// the bytes stored under f.ID from the call on: they are the file's, or,
// when it fails or f.SendID was sent before, deleted.
func (c *Client) SendFile(ctx context.Context, ref ChatRef, f FileSpec) (string, error) {
	id, used, err := c.sendFile(ctx, ref, f)
	if !used && c.cfg.Files != nil && f.ID != "" {
		_ = c.cfg.Files.Delete(ctx, f.ID) // nothing refers to them
	}
	return id, err
}

func (c *Client) sendFile(ctx context.Context, ref ChatRef, f FileSpec) (id string, used bool, err error) {
	switch {
	case c.cfg.FileRelay == "" || c.cfg.Files == nil:
		return "", false, newErr(CodeNotAllowed, "no file relay is set")
	case f.ID == "" || strings.TrimSpace(f.Name) == "" || len(f.Name) > 255:
		return "", false, newErr(CodeBadRequest, "a file needs an id and a name")
	case f.Size < 0 || f.Size > maxFileSize:
		return "", false, newErr(CodeTooLarge, "files are up to %d bytes", maxFileSize)
	}
	if f.Type == "" {
		f.Type = typeOf(f.Name)
	}
	if !validPreview(f.Preview) {
		f.Preview = ""
	}
	err = c.update(ctx, func(t *tx) error {
		chat, err := t.chatKey(ref)
		if err != nil {
			return err
		}
		if id, err = t.sentBefore(chat, f.SendID); err != nil || id != "" {
			used = false
			return err
		}
		keys, err := files.NewKeys()
		if err != nil {
			return err
		}
		m := &msgRec{ID: newMsgID(), Chat: chat, Seq: c.nextSeq(t), Text: f.Text, Sender: "me", Ts: c.now(),
			Status: StatusPending, FileID: f.ID, Preview: f.Preview, SharedID: newMemberID()}
		fr := &fileRec{ID: f.ID, MsgKey: msgKey(m), Name: f.Name, Size: f.Size, Type: f.Type, Mine: true,
			State: FileUploading, Relay: c.cfg.FileRelay, Keys: keys}
		p := &proto.MsgNew{Content: fileMsgContent(f.Text, f.Type, f.Preview),
			File: &proto.FileInvitation{FileName: path.Base(f.Name), FileSize: f.Size}}
		if err := c.sendFileMsg(t, ref, m, fr, encodeAs(p, m.SharedID)); err != nil {
			return err
		}
		layout, _ := files.Layout(f.Size)
		for i := range layout {
			t.put(bFChunk, chunkKey(f.ID, i), sentChunk{})
		}
		m.File = fileView(fr)
		t.putFile(fr)
		c.putMsg(t, m)
		t.emit(MessageEvent{Chat: ref, Message: msgView(m)})
		c.kickFiles(t)
		t.markSent(chat, f.SendID, m.ID)
		id, used = m.ID, true
		return nil
	})
	return id, used && err == nil, err
}

// sendFileMsg sends a file's message to the chat's recipients now (those
// the file will have recipient ids for: connected members, or the
// contact) and records them in fr.
func (c *Client) sendFileMsg(t *tx, ref ChatRef, m *msgRec, fr *fileRec, body []byte) error {
	if ref.ContactID != "" {
		ct, err := t.contact(ref.ContactID)
		if err != nil {
			return err
		}
		m.Total, m.Receipts = 1, true
		fr.Recipients = []string{ct.ID}
		if ct.Status != csConnected {
			m.Body = body
			return nil
		}
		return c.post(t, ct.ConnID, body, agent.SendOptions{Tag: msgKey(m)})
	}
	g, err := t.activeGroup(ref.GroupID)
	if err != nil {
		return err
	}
	switch {
	case g.MyRole.Rank() < proto.RoleAuthor.Rank():
		return newErr(CodeNotAllowed, "observers cannot send")
	case !g.Profile.GroupPreferences.On("files"):
		return newErr(CodeNotAllowed, "the group does not allow files")
	}
	to, err := c.recipients(t, m, g.ID)
	if err != nil {
		return err
	}
	for _, mb := range to {
		fr.Recipients = append(fr.Recipients, mb.ID.String())
	}
	m.Receipts = m.Total+1 <= c.cfg.ReceiptsMaxMembers
	if err := c.oweLater(t, g.ID, to, fr); err != nil {
		return err
	}
	return c.sendMembers(t, to, body, agent.SendOptions{Tag: msgKey(m), NoReceipt: !m.Receipts})
}

// typeOf guesses a file's MIME type from its name.
func typeOf(name string) string {
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
		return strings.SplitN(t, ";", 2)[0]
	}
	return "application/octet-stream"
}

// msgFile returns the file of message messageID.
func (c *Client) msgFile(t *tx, messageID string) (*msgRec, *fileRec, error) {
	m, err := t.msgByID(messageID)
	if err != nil {
		return nil, nil, err
	}
	if m == nil || m.FileID == "" {
		return nil, nil, newErr(CodeNotFound, "a file of message %s", messageID)
	}
	f, err := t.file(m.FileID)
	if err != nil || f == nil {
		return nil, nil, newErr(CodeNotFound, "file of message %s", messageID)
	}
	return m, f, nil
}

// DownloadFile downloads a received file and returns once it is stored
// (or failed: the error says why). A download already running is waited for.
func (c *Client) DownloadFile(ctx context.Context, messageID string) error {
	var fileID string
	err := c.update(ctx, func(t *tx) error {
		m, f, err := c.msgFile(t, messageID)
		if err != nil {
			return err
		}
		fileID = f.ID
		switch f.State {
		case FileDone, FileDownloading:
			return nil
		case FileAvailable, FileFailed, FileCancelled:
		default:
			return newErr(CodeNotAllowed, "the file is %s", f.State)
		}
		if f.Mine || len(f.Descr) == 0 || f.Dropped {
			return newErr(CodeNotAllowed, "the file cannot be downloaded here")
		}
		if f.State != FileAvailable { // a failed or cancelled download starts again
			f.Next, f.DecState, f.Done, f.Error, f.Code = 0, files.State{}, 0, "", ""
		}
		c.setFileState(t, m, f, FileDownloading)
		c.kickFiles(t)
		return nil
	})
	if err != nil {
		return err
	}
	return c.waitFile(ctx, fileID)
}

// CancelFile stops a file's upload (its chunks are deleted from the
// relay) or download (what was stored of it is deleted).
func (c *Client) CancelFile(ctx context.Context, messageID string) error {
	return c.update(ctx, func(t *tx) error {
		m, f, err := c.msgFile(t, messageID)
		if err != nil {
			return err
		}
		switch {
		case f.State == FileUploading, f.State == FileDownloading, f.State == FileAvailable, f.State == FileFailed:
		case f.State == FileSent && f.Mine: // its chunks leave the relay: no one can download it any more
		default:
			return newErr(CodeNotAllowed, "the file is %s", f.State)
		}
		c.setFileState(t, m, f, FileCancelled)
		c.kickFiles(t)
		return nil
	})
}

// ErrFileNotStored: the file's bytes are not here (not downloaded).
var ErrFileNotStored = errors.New("chat: the file is not stored here")

// FileOf returns a message's file info and the id its bytes are stored
// under (for the host to read them from its FileStore); the bytes are
// there when the state is done (received) or the file is mine.
func (c *Client) FileOf(ctx context.Context, messageID string) (FileInfo, string, error) {
	var info FileInfo
	var id string
	err := c.view(ctx, func(t *tx) error {
		m, f, err := c.msgFile(t, messageID)
		if err != nil {
			return err
		}
		if !stored(f) {
			return &Error{Code: CodeNotFound, Detail: "file is " + f.State, Err: ErrFileNotStored}
		}
		info, id = *fileView(f), f.ID
		_ = m
		return nil
	})
	return info, id, err
}

// setFileState changes a file's state, in its message too, and says so.
func (c *Client) setFileState(t *tx, m *msgRec, f *fileRec, state string) {
	f.State = state
	t.putFile(f)
	m.File = fileView(f)
	c.putMsg(t, m)
	t.fileEvent(f, m)
	if terminal(state) {
		id := f.ID
		t.OnCommit(func() { c.fileDone(id) })
	}
}

func terminal(state string) bool {
	return state == FileDone || state == FileFailed || state == FileCancelled || state == FileSent
}
