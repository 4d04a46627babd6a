package chat

import (
	"path"
	"sort"
	"strings"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
)

// autoDownload is the largest image that downloads by itself.
const autoDownload = 1 << 20

// receivedFile fills a received message's file (its description comes on
// its own, or inside the message between contacts).
func (c *Client) receivedFile(t *tx, m *msgRec, p *proto.MsgNew) {
	fi := p.File
	name := path.Base(strings.ReplaceAll(fi.FileName, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "file"
	}
	f := &fileRec{ID: newID(), MsgKey: msgKey(m), Name: name, Size: max(fi.FileSize, 0), Type: typeOf(name), State: FileUploading}
	if p.Content.Type == "image" && !strings.HasPrefix(f.Type, "image/") {
		f.Type = "image/jpeg"
	}
	m.FileID, m.Preview = f.ID, previewOf(p.Content)
	if fi.FileDescr != nil {
		c.addDescrPart(t, m, f, *fi.FileDescr)
	}
	m.File = fileView(f)
	t.putFile(f)
}

// recvFileDescr: a part of my description of a file the sender's message
// announced.
func (c *Client) recvFileDescr(t *tx, in incoming, p *proto.MsgFileDescr, rec func(string, string) (bool, error)) (bool, error) {
	m, err := t.msgBySID(in.chat, in.sender, p.MsgID)
	if err != nil || m == nil {
		return orUnknown(err, rec, "x.msg.file.descr")
	}
	f, err := t.file(m.FileID)
	if err != nil || f == nil || f.Mine {
		return rec(CodeBadMessage, "x.msg.file.descr for a message without a file")
	}
	if f.State != FileUploading {
		return false, nil // complete already: a repeat
	}
	c.addDescrPart(t, m, f, p.FileDescr)
	t.putFile(f)
	m.File = fileView(f)
	c.putMsg(t, m)
	t.fileEvent(f, m)
	return true, nil
}

// maxDescrParts bounds a description's parts: the largest file
// (files.MaxChunks, 64 GiB) has a description of ~3.3 MB, 247 parts of a
// message each (TestDescriptionPartsFit), so twice that is refused.
const maxDescrParts = 512

// addDescrPart collects a part; with the last one the description is
// checked (a forged or damaged one fails the file) and the file is
// available — a small image downloads by itself.
func (c *Client) addDescrPart(t *tx, m *msgRec, f *fileRec, d proto.FileDescr) {
	if d.FileDescrPartNo >= maxDescrParts {
		f.State, f.Error = FileFailed, "too many description parts"
		return
	}
	if f.Parts == nil {
		f.Parts = map[int]string{}
	}
	f.Parts[d.FileDescrPartNo] = d.FileDescrText
	if !d.FileDescrComplete {
		return
	}
	nos := make([]int, 0, len(f.Parts))
	for n := range f.Parts {
		nos = append(nos, n)
	}
	sort.Ints(nos)
	var b strings.Builder
	for i, n := range nos {
		if n != i { // a part is missing
			f.State, f.Error = FileFailed, "a description part is missing"
			return
		}
		b.WriteString(f.Parts[n])
	}
	f.Parts = nil
	descr, err := files.ParseDescription([]byte(b.String()))
	if err != nil || descr.Size != f.Size {
		f.State, f.Error = FileFailed, "the file's description does not check out"
		return
	}
	f.Descr, f.Relay, f.State = []byte(b.String()), descr.Relay, FileAvailable
	if strings.HasPrefix(f.Type, "image/") && f.Size <= autoDownload && c.cfg.Files != nil {
		f.State = FileDownloading
		c.kickFiles(t)
	}
}
