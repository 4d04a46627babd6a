package chat

import (
	"context"
	"crypto/sha256"
	"fmt"
	"unicode/utf8"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
)

// describeAll (sender): every chunk is up; each recipient gets its
// description, over its connection, in one transaction.
func (c *Client) describeAll(ctx context.Context, f *fileRec) error {
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || cur.State != FileUploading {
			return err
		}
		m, err := t.msg(cur.MsgKey)
		if err != nil || m == nil {
			return err
		}
		chunks, err := c.sentChunks(t, cur)
		if err != nil {
			return err
		}
		for i, who := range cur.Recipients {
			if cur.Described[who] {
				continue
			}
			if err := c.describe(t, cur, m, chunks, i, who); err != nil {
				return err
			}
		}
		cur.Done = cur.Size
		c.setFileState(t, m, cur, FileSent)
		return nil
	})
}

func (c *Client) sentChunks(t *tx, f *fileRec) ([]sentChunk, error) {
	return listJSON[sentChunk](t, bFChunk, f.ID+"/")
}

// describe sends recipient i (who) its description of f (in parts when it
// does not fit one message).
func (c *Client) describe(t *tx, f *fileRec, m *msgRec, chunks []sentChunk, i int, who string) error {
	layout, err := files.Layout(f.Size)
	if err != nil || len(layout) != len(chunks) {
		return fmt.Errorf("chat: file %s has %d chunks", f.ID, len(chunks))
	}
	d := files.Description{Relay: f.Relay, Size: f.Size, Keys: f.Keys}
	for k, ch := range chunks {
		if i >= len(ch.Recipients) {
			return fmt.Errorf("chat: chunk %d has no recipient %d", k, i)
		}
		d.Chunks = append(d.Chunks, files.DescChunk{Size: layout[k].Size, Len: layout[k].Len, Digest: ch.Digest,
			ID: ch.Recipients[i].ID, Key: ch.Recipients[i].Seed})
	}
	d.Digest = files.FileDigest(d.Chunks)
	text, err := d.Marshal()
	if err != nil {
		return err
	}
	connID, err := c.recipientConn(t, m, who)
	if err != nil || connID == "" {
		return err // gone meanwhile: nothing to send
	}
	bodies, err := descrParts(m.SharedID, text, c.maxBody())
	if err != nil {
		return err
	}
	for _, body := range bodies {
		if err := c.post(t, connID, body, agent.SendOptions{}); err != nil {
			return err
		}
	}
	if f.Described == nil {
		f.Described = map[string]bool{}
	}
	f.Described[who] = true
	return nil
}

// descrParts cuts a description into the x.msg.file.descr bodies that
// carry it, each at most limit bytes. A part is cut by what its body weighs,
// not by its text: the text travels as a JSON string, where each quote
// costs two bytes. (Parts cut at limit-1024 bytes of text made bodies of
// 13,559 bytes, over the agent's 13,312: a description in more than one
// part, a file above ~60 chunks or ~250 MB, was refused, and its upload
// retried for ever.)
func descrParts(msgID proto.Bytes, text []byte, limit int) ([][]byte, error) {
	var out [][]byte
	for no, off := 0, 0; off < len(text) || no == 0; no++ {
		n := min(len(text)-off, limit)
		for {
			end := off + n
			for end < len(text) && end > off && !utf8.RuneStart(text[end]) {
				end--
			}
			p := &proto.MsgFileDescr{MsgID: msgID, FileDescr: proto.FileDescr{
				FileDescrText: string(text[off:end]), FileDescrPartNo: no, FileDescrComplete: end == len(text)}}
			body, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: proto.Bytes(newMemberID()), Params: p})
			if err == nil && len(body) <= limit {
				out, off = append(out, body), end
				break
			}
			shrink := max(1, n/4) // too large for proto.Encode to say by how much
			if err == nil {
				shrink = len(body) - limit + 16
			}
			if n -= shrink; n <= 0 {
				return nil, fmt.Errorf("chat: a description part does not fit %d bytes", limit)
			}
		}
	}
	return out, nil
}

// recipientConn is the connection with a file's recipient: the contact's,
// or a member's group connection ("" when it is gone).
func (c *Client) recipientConn(t *tx, m *msgRec, who string) (string, error) {
	ref := chatRefOf(m.Chat)
	if ref.ContactID != "" {
		ct, err := t.contact(ref.ContactID)
		if err != nil {
			return "", ignoreNotFound(err)
		}
		return ct.ConnID, nil
	}
	id, err := proto.ParseBytes(who)
	if err != nil {
		return "", nil
	}
	mb, err := t.member(ref.GroupID, id)
	if err != nil || mb == nil || !active(mb) {
		return "", err
	}
	return mb.ConnID, nil
}

// deleteUploaded (sender, cancelled): the relay's chunks go.
func (c *Client) deleteUploaded(ctx context.Context, f *fileRec) error {
	var chunks []sentChunk
	err := c.view(ctx, func(t *tx) (err error) { chunks, err = c.sentChunks(t, f); return })
	if err != nil {
		return err
	}
	c.deleteChunks(ctx, f, chunks)
	return c.markCleaned(ctx, f)
}

// dropStored (receiver, cancelled): what was stored goes.
func (c *Client) dropStored(ctx context.Context, f *fileRec, _ string) error {
	if err := c.cfg.Files.Delete(ctx, f.ID); err != nil {
		return err
	}
	return c.markCleaned(ctx, f)
}

func (c *Client) markCleaned(ctx context.Context, f *fileRec) error {
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil {
			return err
		}
		cur.Cleaned = true
		if !cur.Mine {
			cur.Done, cur.Next, cur.DecState = 0, 0, files.State{}
		}
		t.putFile(cur)
		return nil
	})
}

// downloadStep downloads, checks, decrypts and stores a file's next chunk.
func (c *Client) downloadStep(ctx context.Context, f *fileRec) error {
	d, err := files.ParseDescription(f.Descr)
	if err != nil {
		return c.failFile(ctx, f, err)
	}
	if f.Next >= len(d.Chunks) {
		return c.finishDownload(ctx, f, d)
	}
	ch := d.Chunks[f.Next]
	r := files.Recipient{ID: ch.ID, Seed: ch.Key}
	fc := c.fileClient()
	data, err := fc.Download(ctx, d.Relay, r)
	if err != nil {
		return c.relayFailure(ctx, f, err)
	}
	if sum := sha256.Sum256(data); len(data) != ch.Size || string(sum[:]) != string(ch.Digest) {
		return c.failFile(ctx, f, fmt.Errorf("chunk %d does not match its digest", f.Next+1))
	}
	dec := files.NewDecryptor(d.Keys, d.Size, f.DecState)
	plain, err := dec.Write(data[:ch.Len])
	if err != nil {
		return c.failFile(ctx, f, err)
	}
	if err := c.cfg.Files.WritePart(ctx, f.ID, f.Next, plain); err != nil {
		return c.failFile(ctx, f, err) // the quota, say: nothing partial stays
	}
	_ = fc.Ack(ctx, d.Relay, r) // best effort: the chunk expires anyway
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || cur.State != FileDownloading || cur.Next != f.Next {
			return err
		}
		m, err := t.msg(cur.MsgKey)
		if err != nil || m == nil {
			return err
		}
		cur.Next++
		cur.DecState = dec.State()
		cur.Done = min(cur.Size, cur.Done+int64(len(plain)))
		t.putFile(cur)
		m.File = fileView(cur)
		c.putMsg(t, m)
		t.fileEvent(cur, m)
		c.kickFiles(t)
		return nil
	})
}

// finishDownload: every chunk is in; the file is done if it decrypted whole.
func (c *Client) finishDownload(ctx context.Context, f *fileRec, d *files.Description) error {
	dec := files.NewDecryptor(d.Keys, d.Size, f.DecState)
	if !dec.Done() || f.Done != d.Size {
		return c.failFile(ctx, f, fmt.Errorf("the file is incomplete"))
	}
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || cur.State != FileDownloading {
			return err
		}
		m, err := t.msg(cur.MsgKey)
		if err != nil || m == nil {
			return err
		}
		c.setFileState(t, m, cur, FileDone)
		return nil
	})
}
