package chat

import (
	"context"
	"strings"
)

// A message that goes takes its file with it: deleted here, deleted for
// everyone, moderated, or expired. The bytes stored here go; a file of
// mine still uploading stops and its chunks leave the relay, and so do
// a sent file's chunks when the message went for everyone or expired
// (a timed file disappears from the relay too). A file of mine deleted
// only here stays on the relay for those still downloading it: its chunks
// expire by themselves.

// discardFile marks the file of m gone (the worker cleans up after the
// transaction). everywhere: the message went for everyone or expired.
func (c *Client) discardFile(t *tx, m *msgRec, everywhere bool) error {
	if m.FileID == "" {
		return nil
	}
	f, err := t.file(m.FileID)
	if err != nil || f == nil || f.Gone {
		return err
	}
	f.Gone = true
	f.DropRelay = f.Mine && (everywhere || f.State == FileUploading)
	t.putFile(f)
	c.kickFiles(t)
	id := f.ID
	t.OnCommit(func() { c.fileDone(id) }) // a download waited for ends
	return nil
}

// cleanGone (worker) removes a gone file: its chunks from the relay when
// asked, its bytes here, then its records.
func (c *Client) cleanGone(ctx context.Context, f *fileRec) error {
	if f.DropRelay && !f.Cleaned {
		if err := c.deleteUploaded(ctx, f); err != nil {
			return err
		}
	}
	if err := c.cfg.Files.Delete(ctx, f.ID); err != nil {
		return err
	}
	return c.update(ctx, func(t *tx) error {
		t.Del(bFile, f.ID)
		kvs, err := t.List(bFChunk, f.ID+"/")
		for _, kv := range kvs {
			t.Del(bFChunk, kv.Key)
		}
		return err
	})
}

// deleteChunks deletes a file's chunks from the relay (best effort: they
// expire anyway).
func (c *Client) deleteChunks(ctx context.Context, f *fileRec, chunks []sentChunk) {
	fc := c.fileClient()
	for _, ch := range chunks {
		if len(ch.SenderID) > 0 {
			_ = fc.Delete(ctx, f.Relay, ch.SenderID, senderKey(&ch))
		}
	}
}

// laterKey indexes a member still owed a file's description.
func laterKey(groupID, memberID, fileID string) string {
	return groupID + "/" + memberID + "/" + fileID
}

func fileOfLaterKey(k string) string { return k[strings.LastIndexByte(k, '/')+1:] }
