//go:build js && wasm

package main

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
	"github.com/sxweb/sxweb/wasm/jsfetch"
)

// The file calls of the JS API. A file to send is the page's Blob (or
// File), stored as it is in IndexedDB (idbstore.Files) and read 4 MB at a
// time while it is encrypted; a received file is returned as one Blob of
// its stored parts. File bytes never cross the bridge as JS arrays.

// newFileHTTP is how the file relay is reached (tests put an in-memory
// relay here).
var newFileHTTP = func() files.HTTP { return jsfetch.Client{} }

// fm is the shape of a file call: the chat client and the file store.
type fm = func(ctx context.Context, c *chat.Client, fs *idbstore.Files, a bridge.Args) (any, error)

var fileAPI = map[string]fm{
	// sendFile({groupId} | {contactId}, blob, {text?, name?, sendId?}) → {messageId}
	"sendFile": func(ctx context.Context, c *chat.Client, fs *idbstore.Files, a bridge.Args) (any, error) {
		var ref chat.ChatRef
		if err := fields(a, 0, &ref); err != nil {
			return nil, err
		}
		blob, err := a.Blob(1)
		if err != nil {
			return nil, err
		}
		var o struct {
			Text   string `json:"text"`
			Name   string `json:"name"`
			SendID string `json:"sendId"`
		}
		if err := fields(a, 2, &o); err != nil {
			return nil, err
		}
		spec := chat.FileSpec{ID: chat.NewFileID(), Name: o.Name, Text: o.Text, SendID: o.SendID,
			Size: int64(dim(blob, "size")), Type: jsString(blob, "type")}
		if spec.Name == "" {
			spec.Name = jsString(blob, "name")
		}
		if spec.Name == "" {
			spec.Name = "file"
		}
		if isImage(spec.Type) {
			spec.Preview = makePreview(ctx, blob, spec.Size)
		}
		if err := fs.PutBlob(ctx, spec.ID, 0, blob); err != nil {
			return nil, err
		}
		return idResult("messageId")(c.SendFile(ctx, ref, spec)) // it owns the stored copy now
	},
	// downloadFile(messageId): resolves once the file is stored here.
	"downloadFile": func(ctx context.Context, c *chat.Client, _ *idbstore.Files, a bridge.Args) (any, error) {
		id, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return nil, c.DownloadFile(ctx, id)
	},
	"cancelFile": func(ctx context.Context, c *chat.Client, _ *idbstore.Files, a bridge.Args) (any, error) {
		id, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return nil, c.CancelFile(ctx, id)
	},
	// getFile(messageId) → a File (a Blob with its name and type): a file
	// of mine, or a received one once downloaded (else NOT_FOUND).
	"getFile": func(ctx context.Context, c *chat.Client, fs *idbstore.Files, a bridge.Args) (any, error) {
		id, err := a.String(0)
		if err != nil {
			return nil, err
		}
		info, fileID, err := c.FileOf(ctx, id)
		if err != nil {
			return nil, err
		}
		return fs.File(ctx, fileID, info.Name, info.Type)
	},
	// files() → every chat's files, newest first, with what is stored here.
	"files": func(ctx context.Context, c *chat.Client, _ *idbstore.Files, _ bridge.Args) (any, error) {
		return asList(c.Files(ctx))
	},
	// deleteFile(messageId): its bytes leave this device; the message stays.
	"deleteFile": func(ctx context.Context, c *chat.Client, _ *idbstore.Files, a bridge.Args) (any, error) {
		id, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return nil, c.DeleteFileCopy(ctx, id)
	},
}

// fileMethods binds fileAPI to one client and its file store (none: the
// calls answer NOT_ALLOWED, as without a file relay).
func fileMethods(c *chat.Client, fs *idbstore.Files, out map[string]bridge.Method) {
	for name, f := range fileAPI {
		out[name] = func(ctx context.Context, a bridge.Args) (any, error) {
			if fs == nil {
				return nil, bridge.Errorf(chat.CodeNotAllowed, "no file store here")
			}
			return f(ctx, c, fs, a)
		}
	}
}

func isImage(mime string) bool {
	return mime == "image/jpeg" || mime == "image/png" || mime == "image/gif" || mime == "image/webp"
}

func jsString(v safejs.Value, name string) string {
	s, err := v.Get(name)
	if err != nil || s.Type() != safejs.TypeString {
		return ""
	}
	str, _ := s.String()
	return str
}
