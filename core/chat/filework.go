package chat

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/store"
)

// Files move in the background, one chunk at a time: a chunk's network
// and store work (the relay, the FileStore) happens outside any
// transaction, then one transaction records it (and emits progress). The
// state is in the store, so an upload or download resumes after a restart
// at its next chunk. One goroutine: a chunk (4 MiB at most) is the most
// of a file in memory at once.

// kickFiles wakes the file worker once t commits.
func (c *Client) kickFiles(t *tx) {
	t.OnCommit(func() {
		select {
		case c.fileKick <- struct{}{}:
		default:
		}
	})
}

// waitFile waits until a file's transfer ends; its error says how, if not well.
func (c *Client) waitFile(ctx context.Context, id string) error {
	ch := make(chan struct{})
	c.fileMu.Lock()
	c.fileWait[id] = append(c.fileWait[id], ch)
	c.fileMu.Unlock()
	for {
		var f *fileRec
		err := c.view(ctx, func(t *tx) (err error) { f, err = t.file(id); return })
		switch {
		case err != nil:
			return err
		case f == nil:
			return newErr(CodeNotFound, "file %s", id)
		case f.State == FileDone:
			return nil
		case f.State == FileFailed:
			code := CodeFileFailed
			if f.Code != "" {
				code = f.Code
			}
			return newErr(code, "%s", f.Error)
		case f.State == FileCancelled:
			return newErr(CodeCanceled, "the file was cancelled")
		}
		select {
		case <-ch:
			ch = make(chan struct{})
			c.fileMu.Lock()
			c.fileWait[id] = append(c.fileWait[id], ch)
			c.fileMu.Unlock()
		case <-ctx.Done():
			return ctx.Err()
		case <-c.stop:
			return newErr(CodeClosed, "client closed")
		}
	}
}

// fileDone wakes those waiting for a file (a commit hook).
func (c *Client) fileDone(id string) {
	c.fileMu.Lock()
	chs := c.fileWait[id]
	delete(c.fileWait, id)
	c.fileMu.Unlock()
	for _, ch := range chs {
		close(ch)
	}
}

// fileLoop runs the file worker until Close.
func (c *Client) fileLoop() {
	defer close(c.fileDoneCh)
	ctx := context.Background()
	backoff := time.Second
	for {
		worked, err := c.fileStep(ctx)
		wait := time.Duration(0)
		switch {
		case err != nil:
			wait, backoff = backoff, min(backoff*2, time.Minute)
		case !worked:
			wait, backoff = time.Hour, time.Second
		default:
			backoff = time.Second
		}
		if wait == 0 {
			select {
			case <-c.stop:
				return
			default:
				continue
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-c.stop:
			timer.Stop()
			return
		case <-c.fileKick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// fileStep moves one file by one step; false when nothing is to do.
func (c *Client) fileStep(ctx context.Context) (bool, error) {
	fs, err := c.pendingFiles(ctx)
	if err != nil || len(fs) == 0 {
		return false, err
	}
	f := fs[0]
	switch {
	case f.Gone:
		return true, c.cleanGone(ctx, f)
	case f.DropLocal:
		return true, c.dropLocal(ctx, f)
	case len(f.Later) > 0 && f.State == FileSent:
		return true, c.describeLater(ctx, f)
	case f.State == FileCancelled && f.Mine:
		return true, c.deleteUploaded(ctx, f)
	case f.State == FileCancelled:
		return true, c.dropStored(ctx, f, FileCancelled)
	case f.State == FileUploading:
		return true, c.uploadStep(ctx, f)
	case f.State == FileDownloading:
		return true, c.downloadStep(ctx, f)
	}
	return false, nil
}

// pendingFiles lists the files with work to do.
func (c *Client) pendingFiles(ctx context.Context) ([]*fileRec, error) {
	var out []*fileRec
	err := c.view(ctx, func(t *tx) error {
		fs, err := listJSON[fileRec](t, bFile, "")
		for i := range fs {
			f := &fs[i]
			if f.Gone || f.DropLocal || (f.State == FileUploading && f.Mine) || f.State == FileDownloading ||
				(f.State == FileCancelled && !f.Cleaned) || (f.State == FileSent && len(f.Later) > 0) {
				out = append(out, f)
			}
		}
		return err
	})
	return out, err
}

// uploadStep uploads a file's next chunk, or, when all are up, sends the
// descriptions.
func (c *Client) uploadStep(ctx context.Context, f *fileRec) error {
	layout, err := files.Layout(f.Size)
	if err != nil {
		return c.failFile(ctx, f, err)
	}
	i, ch, err := c.nextUpload(ctx, f, len(layout))
	if err != nil {
		return err
	}
	if i < 0 {
		return c.describeAll(ctx, f)
	}
	fc := c.fileClient()
	if len(ch.SenderID) == 0 {
		sid, key, rs, exp, err := fc.NewChunk(ctx, f.Relay, layout[i].Size, len(f.Recipients))
		if err != nil {
			return c.relayFailure(ctx, f, err)
		}
		ch.SenderID, ch.SenderSeed, ch.Recipients = sid, key.Seed(), rs
		if err := c.saveChunk(ctx, f, i, ch, exp, 0); err != nil {
			return err
		}
	}
	data, err := f.Keys.EncryptChunk(storeSource{c, ctx, f.ID}, f.Size, layout[i])
	if err != nil {
		return c.failFile(ctx, f, err)
	}
	if err := fc.Upload(ctx, f.Relay, ch.SenderID, senderKey(ch), data); err != nil {
		return c.relayFailure(ctx, f, err)
	}
	d := sha256.Sum256(data)
	ch.Digest, ch.Uploaded = d[:], true
	return c.saveChunk(ctx, f, i, ch, time.Time{}, plainDone(f.Size, layout[i]))
}

// plainDone is how much of a file's plaintext the chunks up to c carry
// (progress, in the file's own bytes).
func plainDone(size int64, c files.Chunk) int64 {
	return size * (c.Offset + int64(c.Len)) / files.EncryptedSize(size)
}

// nextUpload is the first chunk not uploaded (-1 when all are).
func (c *Client) nextUpload(ctx context.Context, f *fileRec, n int) (int, *sentChunk, error) {
	var i = -1
	var out *sentChunk
	err := c.view(ctx, func(t *tx) error {
		for k := range n {
			var ch sentChunk
			if _, err := t.getJSON(bFChunk, chunkKey(f.ID, k), &ch); err != nil {
				return err
			}
			if !ch.Uploaded {
				i, out = k, &ch
				return nil
			}
		}
		return nil
	})
	return i, out, err
}

// saveChunk records a chunk's state (and the progress: done bytes, when set).
func (c *Client) saveChunk(ctx context.Context, f *fileRec, i int, ch *sentChunk, expires time.Time, done int64) error {
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || cur.State != FileUploading {
			return err // cancelled meanwhile
		}
		t.put(bFChunk, chunkKey(f.ID, i), ch)
		if cur.Expires.IsZero() && !expires.IsZero() {
			cur.Expires = expires
		}
		if done > 0 {
			cur.Done = min(cur.Size, done)
			m, err := t.msg(cur.MsgKey)
			if err != nil || m == nil {
				return err
			}
			m.File = fileView(cur)
			c.putMsg(t, m)
			t.fileEvent(cur, m)
		}
		t.putFile(cur)
		return nil
	})
}

// relayFailure: a refusal that may pass is retried (the worker backs
// off); any other fails the file.
func (c *Client) relayFailure(ctx context.Context, f *fileRec, err error) error {
	var re *files.RelayError
	if errors.As(err, &re) && !re.Retryable() {
		return c.failFile(ctx, f, err)
	}
	return err
}

// failFile marks a file failed (a received one's stored parts go).
func (c *Client) failFile(ctx context.Context, f *fileRec, cause error) error {
	if !f.Mine {
		_ = c.cfg.Files.Delete(ctx, f.ID)
	}
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil {
			return err
		}
		m, err := t.msg(cur.MsgKey)
		if err != nil || m == nil {
			return err
		}
		cur.Error, cur.Code = cause.Error(), ""
		if errors.Is(cause, store.ErrQuota) { // the device is full: say so, not "failed"
			cur.Code = CodeQuota
		}
		if !cur.Mine {
			cur.Done, cur.Next, cur.DecState = 0, 0, files.State{}
		}
		c.setFileState(t, m, cur, FileFailed)
		return nil
	})
}

// storeSource reads a file of mine from the FileStore.
type storeSource struct {
	c   *Client
	ctx context.Context
	id  string
}

func (s storeSource) ReadAt(p []byte, off int64) (int, error) {
	return s.c.cfg.Files.ReadAt(s.ctx, s.id, p, off)
}
