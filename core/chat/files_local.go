package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/files"
)

// Files kept on this device: what they take, and deleting a copy while
// the message stays (the storage page).

// StoredFile is one file of a message, as the storage page lists it.
type StoredFile struct {
	ChatRef
	MessageID string `json:"messageId"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	Type      string `json:"type"`
	State     string `json:"state"`
	Mine      bool   `json:"mine"`
	Stored    bool   `json:"stored"` // its bytes are here
}

// stored reports whether a file's bytes are here: mine until its copy was
// deleted, theirs once downloaded.
func stored(f *fileRec) bool {
	if f.Gone || f.Dropped || f.DropLocal {
		return false
	}
	return f.Mine || f.State == FileDone
}

// Files lists the files of every chat, newest first.
func (c *Client) Files(ctx context.Context) ([]StoredFile, error) {
	var out []StoredFile
	err := c.view(ctx, func(t *tx) error {
		fs, err := listJSON[fileRec](t, bFile, "")
		if err != nil {
			return err
		}
		for i := range fs {
			f := &fs[i]
			if f.Gone {
				continue
			}
			m, err := t.msg(f.MsgKey)
			if err != nil {
				return err
			}
			if m == nil {
				continue
			}
			out = append(out, StoredFile{ChatRef: chatRefOf(m.Chat), MessageID: m.ID, Name: f.Name, Size: f.Size,
				Type: f.Type, State: f.State, Mine: f.Mine, Stored: stored(f)})
		}
		return nil
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// DeleteFileCopy deletes a file's bytes from this device; the message
// stays. A received file cannot be downloaded again (once downloaded, its
// recipient ids are done on the relay): its state becomes cancelled. My
// own file stays with those it was sent to (its upload must be finished
// or cancelled first), but is not readable here any more.
func (c *Client) DeleteFileCopy(ctx context.Context, messageID string) error {
	return c.update(ctx, func(t *tx) error {
		m, f, err := c.msgFile(t, messageID)
		if err != nil {
			return err
		}
		switch {
		case !stored(f):
			return newErr(CodeNotFound, "the file is not stored here")
		case f.Mine && f.State == FileUploading:
			return newErr(CodeNotAllowed, "the file is still uploading: cancel it first")
		case !f.Mine: // done: its recipient ids were acknowledged, it is gone for us
			f.Next, f.DecState, f.Done = 0, files.State{}, 0
			f.State, f.Cleaned = FileCancelled, true
		}
		f.Dropped, f.DropLocal = true, true
		t.putFile(f)
		m.File = fileView(f)
		c.putMsg(t, m)
		t.fileEvent(f, m)
		c.kickFiles(t)
		return nil
	})
}

// dropLocal (worker) deletes a file's bytes marked for deletion.
func (c *Client) dropLocal(ctx context.Context, f *fileRec) error {
	if err := c.cfg.Files.Delete(ctx, f.ID); err != nil {
		return err
	}
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || !cur.DropLocal {
			return err
		}
		cur.DropLocal = false
		t.putFile(cur)
		return nil
	})
}
