package chat

import (
	"context"
	"time"
)

// A group member I am not connected with yet gets a file's message
// forwarded by the member who introduced us, but the file's chunks have
// recipient ids only for the members it was sent to directly. Such a
// member is owed the file: once our connection is up, the worker adds
// recipient ids for it to every chunk and sends its description, as for
// the others (while the chunks last on the relay).

// oweLater records the members reached by forwarding (active, introduced
// by a member the message went to directly) as owed file fr.
func (c *Client) oweLater(t *tx, groupID string, to []*memberRec, fr *fileRec) error {
	direct := map[string]bool{}
	for _, mb := range to {
		direct[string(mb.ID)] = true
	}
	return t.eachMember(groupID, func(mb *memberRec) {
		if direct[string(mb.ID)] || !active(mb) || mb.Status == msInvited || len(mb.IntroBy) == 0 || !direct[string(mb.IntroBy)] {
			return
		}
		t.put(bFLater, laterKey(groupID, mb.ID.String(), fr.ID), struct{}{})
		c.owed.Store(true)
	})
}

// fileMemberUp: member m of g is connected; the files it is owed join
// their Later lists for the worker.
func (c *Client) fileMemberUp(t *tx, g *groupRec, m *memberRec) error {
	if !c.owed.Load() {
		return nil
	}
	kvs, err := t.List(bFLater, g.ID+"/"+m.ID.String()+"/")
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		t.Del(bFLater, kv.Key)
		f, err := t.file(fileOfLaterKey(kv.Key))
		if err != nil {
			return err
		}
		if f == nil || f.Gone || !f.Mine || (f.State != FileUploading && f.State != FileSent) {
			continue
		}
		f.Later = append(f.Later, m.ID.String())
		t.putFile(f)
		c.kickFiles(t)
	}
	return nil
}

// describeLater (worker; the file is uploaded) adds recipient ids for
// the members in f.Later to every chunk, then sends their descriptions.
func (c *Client) describeLater(ctx context.Context, f *fileRec) error {
	n := len(f.Later)
	if !f.Expires.IsZero() && c.now().Add(time.Minute).After(f.Expires) {
		return c.update(ctx, func(t *tx) error { // the chunks are gone: nothing to give
			cur, err := t.file(f.ID)
			if err != nil || cur == nil || len(cur.Later) < n {
				return err
			}
			cur.Later = cur.Later[n:]
			t.putFile(cur)
			return nil
		})
	}
	var chunks []sentChunk
	if err := c.view(ctx, func(t *tx) (err error) { chunks, err = c.sentChunks(t, f); return }); err != nil {
		return err
	}
	want := len(f.Recipients) + n
	fc := c.fileClient()
	for i := range chunks {
		ch := &chunks[i]
		if need := want - len(ch.Recipients); need > 0 { // done already before a restart: not again
			rs, err := fc.AddRecipients(ctx, f.Relay, ch.SenderID, senderKey(ch), need)
			if err != nil {
				return c.relayFailure(ctx, f, err)
			}
			ch.Recipients = append(ch.Recipients, rs...)
			if err := c.update(ctx, func(t *tx) error { t.put(bFChunk, chunkKey(f.ID, i), ch); return nil }); err != nil {
				return err
			}
		}
	}
	return c.update(ctx, func(t *tx) error {
		cur, err := t.file(f.ID)
		if err != nil || cur == nil || cur.Gone || cur.State != FileSent || len(cur.Later) < n {
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
		for _, who := range cur.Later[:n] {
			cur.Recipients = append(cur.Recipients, who)
			if err := c.describe(t, cur, m, chunks, len(cur.Recipients)-1, who); err != nil {
				return err
			}
		}
		cur.Later = cur.Later[n:]
		t.putFile(cur)
		return nil
	})
}
