package chat

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sxweb/sxweb/core/store"
)

// Page selects part of a chat's history: the newest Limit messages older
// than message Before. Zero values: no limit, up to the newest.
type Page struct {
	Limit  int    `json:"limit,omitempty"`
	Before string `json:"before,omitempty"` // a messageId of the same chat
}

// Messages lists the messages of a group or a contact, oldest first; with
// a page, only the newest page.Limit messages older than page.Before (still
// oldest first: to scroll back, pass the first messageId as the next
// Before). Without a limit the whole chat is read.
func (c *Client) Messages(ctx context.Context, ref ChatRef, page ...Page) ([]Message, error) {
	var p Page
	switch len(page) {
	case 0:
	case 1:
		p = page[0]
	default:
		return nil, newErr(CodeBadRequest, "one page at most")
	}
	if p.Limit < 0 {
		return nil, newErr(CodeBadRequest, "limit below 0")
	}
	var out []Message
	err := c.view(ctx, func(t *tx) error {
		chat, err := t.chatKey(ref)
		if err != nil {
			return err
		}
		kvs, err := c.history(t, chat, p)
		if err != nil {
			return err
		}
		out = make([]Message, 0, len(kvs))
		for _, kv := range kvs {
			var m msgRec
			if err := json.Unmarshal(kv.Value, &m); err != nil {
				return err
			}
			out = append(out, msgView(&m))
		}
		return nil
	})
	return out, err
}

// chatKey checks that ref names an existing chat and returns its key.
func (t *tx) chatKey(ref ChatRef) (string, error) {
	switch {
	case ref.GroupID != "":
		if _, err := t.group(ref.GroupID); err != nil {
			return "", err
		}
		return groupChat(ref.GroupID), nil
	case ref.ContactID != "":
		if _, err := t.contact(ref.ContactID); err != nil {
			return "", err
		}
		return contactChat(ref.ContactID), nil
	}
	return "", newErr(CodeBadRequest, "groupId or contactId")
}

// history returns the records of page p of chat, in key (= time) order.
//
// The store lists by prefix only, and message keys are chat/%016x of a
// sequence number shared by all chats. So a page is read backwards from
// its upper bound in aligned blocks of sequence numbers, each one prefix
// (a block of 256 is the prefix without the last two hex digits): block by
// block while blocks are dense enough, 16 times wider (one digit less) when
// a block had fewer messages than still needed and the wider block starts
// below what was read. Blocks never overlap, so each record is read once
// at most, and a page of a chat with many messages reads about the page
// plus one block; a sparse chat takes more (cheap) reads instead. A store
// that is a store.Tailer (all three are) reads exactly the page instead.
func (c *Client) history(t *tx, chat string, p Page) ([]store.KV, error) {
	pre := chat + "/"
	end := c.seq.Load() + 1 // the page is below message number end
	if p.Before != "" {
		k, err := t.Get(bMsgID, p.Before)
		if err != nil || !strings.HasPrefix(string(k), pre) {
			return nil, newErr(CodeNotFound, "message %s in this chat", p.Before)
		}
		end = parseSeq(string(k)[len(pre):])
	}
	if p.Limit == 0 {
		kvs, err := t.List(bMsg, pre)
		return below(kvs, pre+seqKey(end)), err
	}
	// A store that reads the end of a range reads the page and nothing
	// else: what it does not read, it need not open (sealed at rest).
	if tl, ok := c.st.(store.Tailer); ok && t.view {
		return tl.Tail(t.ctx(), bMsg, pre, pre+seqKey(end), p.Limit)
	}
	var chunks [][]store.KV // newest first
	n, drop, span := 0, 2, uint64(256)
	for end > 0 && n < p.Limit {
		hi := seqKey(end - 1)
		kvs, err := t.List(bMsg, pre+hi[:len(hi)-drop])
		if err != nil {
			return nil, err
		}
		kvs = below(kvs, pre+seqKey(end))
		chunks = append(chunks, kvs)
		sparse := len(kvs) < p.Limit-n
		n += len(kvs)
		if drop == len(hi) {
			break // that was the whole chat
		}
		end = (end - 1) &^ (span - 1)
		if sparse && (drop == len(hi)-1 || end%(span*16) == 0) {
			drop, span = drop+1, span*16
		}
	}
	out := make([]store.KV, 0, n)
	for i := len(chunks) - 1; i >= 0; i-- {
		out = append(out, chunks[i]...)
	}
	return out[max(0, len(out)-p.Limit):], nil
}

// below keeps the records with keys below bound.
func below(kvs []store.KV, bound string) []store.KV {
	n := len(kvs)
	for n > 0 && kvs[n-1].Key >= bound {
		n--
	}
	return kvs[:n]
}

func parseSeq(hex string) uint64 {
	n, _ := strconv.ParseUint(hex, 16, 64)
	return n
}
