//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/hack-pad/safejs"
)

// filesStore is the object store of file bytes: out-of-line keys
// [fileId, part], values Blobs (the browser keeps them as files of their
// own, outside the database's pages, and hands out slices without reading
// them whole). A file to send is one part (the Blob the page gave); a
// received file is its plaintext in parts, one per downloaded chunk.
const filesStore = "files"

// Files is the chat layer's FileStore on IndexedDB (chat.FileStore), and
// what the JS API needs of it: a file's Blob, its size. With a sealer
// (SealedFiles) every part is sealed at rest (sealed.go).
type Files struct {
	s      *Store
	sealer PartSealer

	mu    sync.Mutex
	cache openedPart // the part ReadAt opened last
}

// Files returns the file store of the database, parts in clear.
func (s *Store) Files() *Files { return &Files{s: s} }

var (
	blobCtor  = safejs.MustGetGlobal("Blob")
	fileCtor  = safejs.MustGetGlobal("File")
	uint8Ctor = safejs.MustGetGlobal("Uint8Array")
	keyRange  = safejs.MustGetGlobal("IDBKeyRange")
)

func (f *Files) tx(mode string) (safejs.Value, safejs.Value, error) {
	db, err := f.s.handle()
	if err != nil {
		return safejs.Null(), safejs.Null(), err
	}
	tx, err := db.Call("transaction", filesStore, mode)
	if err != nil {
		return safejs.Null(), safejs.Null(), fmt.Errorf("idbstore: files: %w", err)
	}
	os, err := tx.Call("objectStore", filesStore)
	return tx, os, err
}

func fileRange(id string) (safejs.Value, error) {
	return keyRange.Call("bound", []any{id, 0}, []any{id, math.MaxInt32}, false, false)
}

// PutBlob stores blob as file id (a file to send, as the page gave it):
// in clear as part 0, its bytes never passing through Go; sealed, copied
// in PartSize parts (sealed.go).
func (f *Files) PutBlob(ctx context.Context, id string, blob safejs.Value) error {
	if f.sealer != nil {
		return f.putSealed(ctx, id, blob)
	}
	return f.putPart(ctx, id, 0, blob)
}

// putPart stores blob as part n of file id, in a transaction of its own.
func (f *Files) putPart(ctx context.Context, id string, n int, blob safejs.Value) error {
	f.forget(id)
	tx, os, err := f.tx("readwrite")
	if err != nil {
		return err
	}
	w, err := watchTx(tx)
	if err != nil {
		_, _ = tx.Call("abort")
		return err
	}
	_, cause := os.Call("put", blob, []any{id, n})
	if cause != nil {
		w.abort()
	}
	return w.wait(ctx, "files put", cause)
}

// WritePart implements chat.FileStore: data becomes a Blob (sealed, with
// a sealer).
func (f *Files) WritePart(ctx context.Context, id string, n int, data []byte) error {
	mime := ""
	if f.sealer != nil {
		data, mime = f.sealer.SealPart(id, n, data), sealedType
	}
	blob, err := newBlob(data, mime)
	if err != nil {
		return err
	}
	return f.putPart(ctx, id, n, blob)
}

// newBlob is a Blob of a copy of data.
func newBlob(data []byte, mime string) (safejs.Value, error) {
	arr, err := uint8Ctor.New(len(data))
	if err == nil {
		_, err = safejs.CopyBytesToJS(arr, data)
	}
	var blob safejs.Value
	if err == nil {
		blob, err = blobCtor.New([]any{arr}, map[string]any{"type": mime})
	}
	if err != nil {
		return safejs.Null(), fmt.Errorf("idbstore: files: %w", err)
	}
	return blob, nil
}

// part is one stored part of a file.
type part struct {
	n      int
	blob   safejs.Value
	size   int64 // of its plaintext
	sealed bool
}

// parts reads a file's parts, in order.
func (f *Files) parts(ctx context.Context, id string) ([]part, error) {
	rng, err := fileRange(id)
	if err != nil {
		return nil, err
	}
	_, os, err := f.tx("readonly")
	if err != nil {
		return nil, err
	}
	vals, keys, err := getAllWithKeys(ctx, "files get", os, rng)
	if err != nil {
		return nil, err
	}
	n, err := vals.Length()
	if err != nil {
		return nil, err
	}
	out := make([]part, n)
	for i := range out {
		p := &out[i]
		if p.blob, err = vals.Index(i); err != nil {
			return nil, err
		}
		k, err := keys.Index(i)
		if err == nil {
			p.n, err = partNumber(k)
		}
		if err == nil {
			p.size, err = blobSize(p.blob)
		}
		if err != nil {
			return nil, err
		}
		if p.sealed = jsString(p.blob, "type") == sealedType; p.sealed && f.sealer != nil {
			p.size -= int64(f.sealer.PartOverhead())
		}
	}
	return out, nil
}

// partNumber is n of the key [fileId, n].
func partNumber(k safejs.Value) (int, error) {
	v, err := k.Index(1)
	if err != nil {
		return 0, err
	}
	return v.Int()
}

func jsString(v safejs.Value, name string) string {
	s, err := v.Get(name)
	if err != nil || s.Type() != safejs.TypeString {
		return ""
	}
	str, _ := s.String()
	return str
}

// ReadAt implements chat.FileStore: it reads a slice of the file's parts.
func (f *Files) ReadAt(ctx context.Context, id string, p []byte, off int64) (int, error) {
	parts, err := f.parts(ctx, id)
	if err != nil {
		return 0, err
	}
	read := 0
	var start int64
	for _, pt := range parts {
		end := start + pt.size
		if pos := off + int64(read); read < len(p) && pos < end {
			want := min(int64(len(p)-read), end-pos)
			n, err := f.readPart(ctx, id, pt, pos-start, want, p[read:])
			read += n
			if err != nil {
				return read, err
			}
		}
		start = end
	}
	if read < len(p) {
		return read, io.EOF
	}
	return read, nil
}

// readPart copies n bytes of a part's plaintext from off into dst.
func (f *Files) readPart(ctx context.Context, id string, pt part, off, n int64, dst []byte) (int, error) {
	if !pt.sealed {
		return readSlice(ctx, pt.blob, off, n, dst)
	}
	plain, err := f.openPart(ctx, id, pt)
	if err != nil {
		return 0, err
	}
	return copy(dst[:n], plain[off:]), nil
}

func blobSize(b safejs.Value) (int64, error) {
	v, err := b.Get("size")
	if err != nil {
		return 0, err
	}
	n, err := v.Float()
	return int64(n), err
}

// readSlice copies n bytes of blob from off into dst.
func readSlice(ctx context.Context, b safejs.Value, off, n int64, dst []byte) (int, error) {
	s, err := b.Call("slice", float64(off), float64(off+n))
	if err != nil {
		return 0, err
	}
	p, err := s.Call("arrayBuffer")
	if err != nil {
		return 0, err
	}
	buf, err := awaitPromise(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("idbstore: files: reading a blob: %w", err)
	}
	arr, err := uint8Ctor.New(buf)
	if err != nil {
		return 0, err
	}
	return safejs.CopyBytesToGo(dst[:n], arr)
}

// Delete implements chat.FileStore.
func (f *Files) Delete(ctx context.Context, id string) error {
	f.forget(id)
	rng, err := fileRange(id)
	if err != nil {
		return err
	}
	tx, os, err := f.tx("readwrite")
	if err != nil {
		return err
	}
	w, err := watchTx(tx)
	if err != nil {
		_, _ = tx.Call("abort")
		return err
	}
	_, cause := os.Call("delete", rng)
	if cause != nil {
		w.abort()
	}
	return w.wait(ctx, "files delete", cause)
}

// File is a file's bytes as one File (a Blob with a name) of type mime:
// its parts joined (no bytes read or copied), each sealed one opened first.
func (f *Files) File(ctx context.Context, id, name, mime string) (safejs.Value, error) {
	parts, err := f.parts(ctx, id)
	if err != nil {
		return safejs.Null(), err
	}
	list := make([]any, len(parts))
	for i, p := range parts {
		list[i] = p.blob
		if p.sealed {
			plain, err := f.openPart(ctx, id, p)
			if err == nil {
				list[i], err = newBlob(plain, "")
			}
			if err != nil {
				return safejs.Null(), err
			}
		}
	}
	return fileCtor.New(list, name, map[string]any{"type": mime})
}

// Size is how many bytes of the file are stored (its plaintext).
func (f *Files) Size(ctx context.Context, id string) (int64, error) {
	parts, err := f.parts(ctx, id)
	var total int64
	for _, p := range parts {
		total += p.size
	}
	return total, err
}

// awaitPromise waits for a JS Promise.
func awaitPromise(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type outcome struct {
		v   safejs.Value
		err error
	}
	ch := make(chan outcome, 1)
	ok, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- outcome{v: args[0]}
		return nil
	})
	if err != nil {
		return safejs.Null(), err
	}
	defer ok.Release()
	fail, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		name, msg := domError(args[0])
		ch <- outcome{err: fmt.Errorf("%s: %s", name, msg)}
		return nil
	})
	if err != nil {
		return safejs.Null(), err
	}
	defer fail.Release()
	if _, err := p.Call("then", ok.Value(), fail.Value()); err != nil {
		return safejs.Null(), err
	}
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		return safejs.Null(), ctx.Err()
	}
}
