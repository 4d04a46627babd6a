//go:build js && wasm

package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/backup"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// The account calls of the JS API (docs/backup-and-storage.md):
// exportAccount, moveAccount, setPassphrase and atRest on the handle;
// importAccount on __sxweb, next to open (the database must not be open).
// A backup crosses as a Blob built from ~1 MiB parts as it is written, and
// is read back 1 MiB at a time: the Go side never holds it whole.

// moveFragment starts the fragment of a link made by moveAccount.
const moveFragment = "#/move/"

// accountMethods binds the account calls of the handle.
func accountMethods(c *chat.Client, d *db, opts Options, out map[string]bridge.Method) {
	// exportAccount({passphrase, files}) → Blob
	out["exportAccount"] = func(ctx context.Context, a bridge.Args) (any, error) {
		var o exportOptions
		if err := fields(a, 0, &o); err != nil {
			return nil, err
		}
		blob, _, err := exportBlob(ctx, c, d, o)
		return blob, err
	}
	// moveAccount({passphrase, files}) → a link to the backup, uploaded to
	// the file relay; the passphrase is not in it.
	out["moveAccount"] = func(ctx context.Context, a bridge.Args) (any, error) {
		var o exportOptions
		if err := fields(a, 0, &o); err != nil {
			return nil, err
		}
		if opts.FileRelay == "" {
			return nil, bridge.Errorf(chat.CodeNotAllowed, "no file relay is set")
		}
		blob, size, err := exportBlob(ctx, c, d, o)
		if err != nil {
			return nil, err
		}
		fc := &files.Client{HTTP: newFileHTTP()}
		descr, err := fc.UploadFile(ctx, opts.FileRelay, &blobReaderAt{ctx: ctx, blob: blob, size: size}, size)
		if err != nil {
			return nil, bridge.Errorf(chat.CodeFileFailed, "uploading the backup: %v", err)
		}
		b, err := descr.Marshal()
		if err != nil {
			return nil, err
		}
		return opts.AppURL + moveFragment + base64.RawURLEncoding.EncodeToString(b), nil
	}
	// setPassphrase(old, new): old null or "" when none is set; new null
	// or "" to go back to the device key.
	out["setPassphrase"] = func(ctx context.Context, a bridge.Args) (any, error) {
		old, err := optString(a, 0)
		if err != nil {
			return nil, err
		}
		nw, err := optString(a, 1)
		if err != nil {
			return nil, err
		}
		return nil, atRestError(d.st.SetPassphrase(ctx, []byte(old), []byte(nw)))
	}
	// atRest() → {mode: "device" | "passphrase" | "none"}
	out["atRest"] = func(context.Context, bridge.Args) (any, error) {
		return map[string]any{"mode": string(d.st.Mode())}, nil
	}
}

type exportOptions struct {
	Passphrase string `json:"passphrase"`
	Files      bool   `json:"files"`
}

// exportBlob writes the backup into a Blob: the key is derived first
// (about a second), then the store is read under the client's lock.
func exportBlob(ctx context.Context, c *chat.Client, d *db, o exportOptions) (safejs.Value, int64, error) {
	bw, err := newBlobWriter()
	if err != nil {
		return safejs.Null(), 0, err
	}
	w, err := backup.NewWriter(bw, []byte(o.Passphrase), backup.WriterOptions{Schema: chat.SchemaVersion, Files: o.Files, Cost: passphraseCost})
	if err != nil {
		return safejs.Null(), 0, err
	}
	err = c.Frozen(ctx, func(ctx context.Context, stored []chat.FileCopy) error {
		src := backup.Source{Records: d.st, Data: d.files}
		if o.Files {
			for _, f := range stored {
				src.Files = append(src.Files, backup.File{ID: f.ID, Size: f.Size})
			}
		}
		return backup.Export(ctx, w, src)
	})
	if err != nil {
		return safejs.Null(), 0, err
	}
	blob, err := bw.blob()
	return blob, bw.size, err
}

func optString(a bridge.Args, i int) (string, error) {
	if a.Missing(i) {
		return "", nil
	}
	return a.String(i)
}

// importAccount({db, data | link, passphrase, replace}) → {created,
// records, files}: data a Blob (simplex.js makes one of an ArrayBuffer or
// Uint8Array); link one that moveAccount made. The caller holds the
// database's Web Lock: no core runs on it meanwhile.
func importAccount(ctx context.Context, a bridge.Args) (any, error) {
	o, err := a.Object(0)
	if err != nil {
		return nil, err
	}
	name, err := o.String("db", DefaultDB)
	if err != nil {
		return nil, err
	}
	pass, err := o.String("passphrase", "")
	if err != nil {
		return nil, err
	}
	replace, err := o.Bool("replace", false)
	if err != nil {
		return nil, err
	}
	link, err := o.String("link", "")
	if err != nil {
		return nil, err
	}
	var blob safejs.Value
	var descr *files.Description
	if link != "" {
		if descr, err = parseMoveLink(link); err != nil {
			return nil, err
		}
		if blob, err = download(ctx, descr); err != nil {
			return nil, err
		}
	} else if blob, err = (bridge.Args{fieldOf(a[0], "data")}).Blob(0); err != nil {
		return nil, bridge.Errorf(bridge.CodeBadArgument, "data: want a Blob, ArrayBuffer or Uint8Array, or a link")
	}
	res, err := importBlob(ctx, name, blob, pass, replace)
	if err != nil {
		return nil, err
	}
	if descr != nil {
		(&files.Client{HTTP: newFileHTTP()}).AckFile(ctx, descr)
	}
	return map[string]any{"created": res.Info.Created.UnixMilli(), "records": res.Records, "files": len(res.Files)}, nil
}

func fieldOf(v safejs.Value, name string) safejs.Value {
	f, err := v.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return f
}

// importBlob restores the backup in blob into the database name, sealed
// at rest under a new device key.
func importBlob(ctx context.Context, name string, blob safejs.Value, pass string, replace bool) (*backup.Result, error) {
	raw, err := idbstore.Open(ctx, name)
	if err != nil {
		return nil, bridge.Errorf(storeOpenCode(err), "open %q: %v", name, err)
	}
	defer raw.Close()
	size, err := blobSizeOf(blob)
	if err != nil {
		return nil, err
	}
	t := backup.Target{
		DB: raw,
		Open: func(ctx context.Context) (store.Store, backup.FileWriter, error) {
			st, err := atrest.Open(ctx, raw, atrest.Options{Device: deviceKey{raw}})
			if err != nil {
				return nil, nil, err
			}
			return st, raw.SealedFiles(st), nil
		},
		Finish: func(ctx context.Context, st store.Store, res *backup.Result) error {
			return chat.AfterRestore(ctx, st, res.Files)
		},
	}
	open := func() (io.Reader, error) { return &blobReader{ctx: ctx, blob: blob, size: size}, nil }
	return backup.Import(ctx, open, []byte(pass), t, backup.ImportOptions{Schema: chat.SchemaVersion, Replace: replace})
}

// parseMoveLink reads the file description in a moveAccount link.
func parseMoveLink(link string) (*files.Description, error) {
	i := strings.Index(link, moveFragment)
	if i < 0 {
		return nil, bridge.Errorf(chat.CodeBadLink, "not a link to move an account")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(link[i+len(moveFragment):]))
	if err != nil {
		return nil, bridge.Errorf(chat.CodeBadLink, "cut off: %v", err)
	}
	d, err := files.ParseDescription(b)
	if err != nil {
		return nil, bridge.Errorf(chat.CodeBadLink, "%v", err)
	}
	return d, nil
}

// download fetches a moved backup from the file relay into a Blob.
func download(ctx context.Context, d *files.Description) (safejs.Value, error) {
	bw, err := newBlobWriter()
	if err != nil {
		return safejs.Null(), err
	}
	fc := &files.Client{HTTP: newFileHTTP()}
	if err := fc.DownloadFile(ctx, d, func(p []byte) error { _, err := bw.Write(p); return err }); err != nil {
		return safejs.Null(), bridge.Errorf(chat.CodeFileFailed, "downloading the backup: %v", err)
	}
	return bw.blob()
}

var blobClass = safejs.MustGetGlobal("Blob")

// blobWriter collects what is written into ~1 MiB Uint8Arrays: the parts
// of a Blob.
type blobWriter struct {
	parts safejs.Value
	buf   []byte
	size  int64
}

const blobPart = 1 << 20

func newBlobWriter() (*blobWriter, error) {
	arr, err := safejs.MustGetGlobal("Array").New()
	return &blobWriter{parts: arr, buf: make([]byte, 0, blobPart)}, err
}

func (w *blobWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		c := min(len(p), blobPart-len(w.buf))
		w.buf = append(w.buf, p[:c]...)
		p = p[c:]
		if len(w.buf) == blobPart {
			if err := w.flush(); err != nil {
				return n - len(p), err
			}
		}
	}
	w.size += int64(n)
	return n, nil
}

func (w *blobWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.parts.Call("push", toUint8(w.buf))
	w.buf = w.buf[:0]
	return err
}

func (w *blobWriter) blob() (safejs.Value, error) {
	if err := w.flush(); err != nil {
		return safejs.Null(), err
	}
	return blobClass.New(w.parts, map[string]any{"type": "application/octet-stream"})
}

func blobSizeOf(b safejs.Value) (int64, error) {
	v, err := b.Get("size")
	if err != nil {
		return 0, err
	}
	f, err := v.Float()
	return int64(f), err
}

// readBlob reads n bytes of b at off.
func readBlob(ctx context.Context, b safejs.Value, off, n int64, dst []byte) error {
	s, err := b.Call("slice", float64(off), float64(off+n))
	if err != nil {
		return err
	}
	p, err := s.Call("arrayBuffer")
	if err != nil {
		return err
	}
	buf, err := bridge.Await(ctx, p)
	if err != nil {
		return fmt.Errorf("reading a Blob: %w", err)
	}
	arr, err := uint8Array.New(buf)
	if err != nil {
		return err
	}
	got, err := safejs.CopyBytesToGo(dst[:n], arr)
	if err == nil && int64(got) != n {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// blobReader reads a Blob from its start, 1 MiB at a time.
type blobReader struct {
	ctx       context.Context
	blob      safejs.Value
	size, off int64
	buf       []byte
	pos       int
}

func (r *blobReader) Read(p []byte) (int, error) {
	if r.pos == len(r.buf) {
		if r.off >= r.size {
			return 0, io.EOF
		}
		n := min(blobPart, r.size-r.off)
		if cap(r.buf) < int(n) {
			r.buf = make([]byte, blobPart)
		}
		r.buf = r.buf[:n]
		if err := readBlob(r.ctx, r.blob, r.off, n, r.buf); err != nil {
			return 0, err
		}
		r.off += n
		r.pos = 0
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// blobReaderAt reads a Blob at any offset (an upload's segments).
type blobReaderAt struct {
	ctx  context.Context
	blob safejs.Value
	size int64
}

func (r *blobReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n := min(int64(len(p)), r.size-off)
	if n <= 0 {
		return 0, io.EOF
	}
	if err := readBlob(r.ctx, r.blob, off, n, p); err != nil {
		return 0, err
	}
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// registerImport sets __sxweb.importAccount.
func registerImport(api safejs.Value) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		a := append(bridge.Args(nil), args...)
		return bridge.Promise(context.Background(), func(ctx context.Context) (any, error) {
			return importAccount(ctx, a)
		})
	})
	if err != nil {
		return err
	}
	return api.Set("importAccount", f.Value())
}
