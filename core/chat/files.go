package chat

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"time"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
)

// FileStore keeps the bytes of files outside the key-value store: the
// sender's copy of a file it sends, and received files, written in parts
// (in the browser, Blobs in IndexedDB; natively, files in a directory).
// A received file's parts are its plaintext in order.
type FileStore interface {
	// ReadAt reads the stored bytes of file id (a sent file's copy, or
	// the parts of a received one, as one file).
	ReadAt(ctx context.Context, id string, p []byte, off int64) (int, error)
	// WritePart stores part n of file id (parts are written in order; a
	// part written again replaces it).
	WritePart(ctx context.Context, id string, n int, data []byte) error
	// Delete removes every part of file id.
	Delete(ctx context.Context, id string) error
}

// File states (the API's `file.state`).
const (
	FileUploading   = "uploading"   // mine: its chunks are being uploaded; theirs: the sender is uploading
	FileSent        = "sent"        // mine: uploaded, descriptions sent
	FileAvailable   = "available"   // theirs: its description is here, it can be downloaded
	FileDownloading = "downloading" // theirs
	FileDone        = "done"        // theirs: downloaded and stored
	FileFailed      = "failed"      // a chunk did not check out, or the relay refused for good
	FileCancelled   = "cancelled"
)

// FileInfo is a message's file as messages() shows it.
type FileInfo struct {
	Name  string `json:"name"`
	Size  int64  `json:"size"`
	Type  string `json:"type"`
	State string `json:"state"`
	Done  int64  `json:"done"` // bytes uploaded or downloaded
}

// FileEvent: a file's transfer progressed or changed state.
type FileEvent struct {
	Chat      ChatRef
	MessageID string
	State     string
	Done      int64
	Total     int64
}

func (FileEvent) Type() string { return "file" }

// fileRec is one file of a message (bucket c.file, by file id); a sent
// file's chunks are in c.fchunk.
type fileRec struct {
	ID      string     `json:"id"`
	MsgKey  string     `json:"msgKey"`
	Name    string     `json:"name"`
	Size    int64      `json:"size"`
	Type    string     `json:"type"`
	Mine    bool       `json:"mine,omitempty"`
	State   string     `json:"state"`
	Done    int64      `json:"done,omitempty"`
	Relay   string     `json:"relay,omitempty"`
	Keys    files.Keys `json:"keys"`
	Expires time.Time  `json:"expires,omitzero"`
	Error   string     `json:"error,omitempty"`
	Code    string     `json:"code,omitempty"`    // the error's code (FILE_FAILED, QUOTA)
	Cleaned bool       `json:"cleaned,omitempty"` // cancelled: its chunks or parts are gone
	// mine: the recipients (memberIds or the contactId) in the chunks'
	// order, and those that got their description
	Recipients []string        `json:"recipients,omitempty"`
	Described  map[string]bool `json:"described,omitempty"`
	// mine: members who got the message forwarded (not connected with me
	// yet) and are connected now: they get recipient ids and their
	// description when the upload is done (files_later.go)
	Later []string `json:"later,omitempty"`
	// the message went: the worker removes the file (files_gone.go)
	Gone      bool `json:"gone,omitempty"`
	DropRelay bool `json:"dropRelay,omitempty"`
	// the bytes here were deleted (deleteFile) / are still to delete (the worker)
	Dropped   bool `json:"dropped,omitempty"`
	DropLocal bool `json:"dropLocal,omitempty"`
	// theirs: the description's parts as they arrive, the description,
	// and where the download stands
	Parts    map[int]string `json:"parts,omitempty"`
	Descr    []byte         `json:"descr,omitempty"`
	Next     int            `json:"next,omitempty"` // the next chunk to download
	DecState files.State    `json:"dec"`
}

// sentChunk is one uploaded (or to upload) chunk of a file of mine.
type sentChunk struct {
	SenderID   []byte            `json:"sid,omitempty"`
	SenderSeed []byte            `json:"sk,omitempty"`
	Recipients []files.Recipient `json:"r,omitempty"`
	Digest     []byte            `json:"d,omitempty"`
	Uploaded   bool              `json:"up,omitempty"`
}

func fileView(f *fileRec) *FileInfo {
	if f == nil {
		return nil
	}
	return &FileInfo{Name: f.Name, Size: f.Size, Type: f.Type, State: f.State, Done: f.Done}
}

func (c *Client) fileClient() *files.Client { return &files.Client{HTTP: c.cfg.FileHTTP} }

func chunkKey(fileID string, n int) string { return fileID + "/" + seqKey(uint64(n)) }

func (t *tx) file(id string) (*fileRec, error) {
	var f fileRec
	ok, err := t.getJSON(bFile, id, &f)
	if err != nil || !ok {
		return nil, err
	}
	return &f, nil
}

func (t *tx) putFile(f *fileRec) { t.put(bFile, f.ID, f) }

// fileEvent emits a file's progress.
func (t *tx) fileEvent(f *fileRec, m *msgRec) {
	t.emit(FileEvent{Chat: chatRefOf(m.Chat), MessageID: m.ID, State: f.State, Done: f.Done, Total: f.Size})
}

// fileMsgContent is the content of a file's message: an image with its
// preview, or a file, with the text.
func fileMsgContent(text, mime, preview string) proto.MsgContent {
	c := proto.MsgContent{Type: "file", Text: text}
	if preview != "" && strings.HasPrefix(mime, "image/") {
		b, _ := json.Marshal(preview)
		c.Type, c.Extra = "image", map[string]json.RawMessage{"image": b}
	}
	return c
}

// previewOf is an image content's preview ("" for any other).
func previewOf(c proto.MsgContent) string {
	var s string
	if c.Type == "image" && json.Unmarshal(c.Extra["image"], &s) == nil && validPreview(s) {
		return s
	}
	return ""
}

// maxPreview bounds an image preview (a small JPEG or PNG data URL).
const maxPreview = 12 << 10

func validPreview(s string) bool {
	return len(s) <= maxPreview && (strings.HasPrefix(s, "data:image/jpeg;base64,") || strings.HasPrefix(s, "data:image/png;base64,"))
}

func senderKey(ch *sentChunk) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(ch.SenderSeed) }
