//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"
)

// PartSealer seals file parts at rest (core/store/atrest's Store is one):
// with additional data binding each part to its file and number.
type PartSealer interface {
	SealPart(id string, n int, plain []byte) []byte
	OpenPart(id string, n int, sealed []byte) ([]byte, error)
	PartOverhead() int
}

// sealedType marks a sealed part's Blob: parts written in clear (by the
// app before parts were sealed, or a page's Blob of any type) are told
// apart by it, so sealing the parts of an older database in place can
// stop and resume anywhere.
const sealedType = "application/x-sxweb-sealed"

// PartSize is the plaintext of a part a file to send is copied into, and
// of the parts an older database's large parts are cut into.
const PartSize = 4 << 20

// SealedFiles returns the file store of the database with every part
// written sealed by sealer; parts found in clear are still read.
func (s *Store) SealedFiles(sealer PartSealer) *Files { return &Files{s: s, sealer: sealer} }

// openedPart is a part's plaintext, kept for the next ReadAt: the file
// worker reads a file 64 KiB at a time, and a part is 4 MiB.
type openedPart struct {
	id    string
	n     int
	plain []byte
}

func (f *Files) forget(id string) {
	f.mu.Lock()
	if f.cache.id == id {
		f.cache = openedPart{}
	}
	f.mu.Unlock()
}

// openPart reads and opens a sealed part (or takes it from the cache).
func (f *Files) openPart(ctx context.Context, id string, p part) ([]byte, error) {
	if f.sealer == nil {
		return nil, fmt.Errorf("idbstore: files: part %d of %s is sealed and no key is here", p.n, id)
	}
	f.mu.Lock()
	c := f.cache
	f.mu.Unlock()
	if c.id == id && c.n == p.n && c.plain != nil {
		return c.plain, nil
	}
	sealed := make([]byte, p.size+int64(f.sealer.PartOverhead()))
	if _, err := readSlice(ctx, p.blob, 0, int64(len(sealed)), sealed); err != nil {
		return nil, err
	}
	plain, err := f.sealer.OpenPart(id, p.n, sealed)
	if err != nil {
		return nil, fmt.Errorf("idbstore: files: part %d of %s: %w", p.n, id, err)
	}
	f.mu.Lock()
	f.cache = openedPart{id: id, n: p.n, plain: plain}
	f.mu.Unlock()
	return plain, nil
}

// putSealed copies blob into sealed parts of PartSize (the last one
// shorter; an empty blob is one empty part). On failure the parts written
// go again.
func (f *Files) putSealed(ctx context.Context, id string, blob safejs.Value) error {
	size, err := blobSize(blob)
	if err != nil {
		return err
	}
	if err := f.copySealed(ctx, id, blob, size, 0); err != nil {
		_ = f.Delete(ctx, id)
		return err
	}
	return nil
}

// copySealed writes parts from..last of blob (size bytes) sealed, last
// first down to from: sealing an older database's one large part in place
// writes its part 0 last, so until then that part is still the whole file.
func (f *Files) copySealed(ctx context.Context, id string, blob safejs.Value, size int64, from int) error {
	last := 0
	if size > 0 {
		last = int((size - 1) / PartSize)
	}
	buf := make([]byte, PartSize)
	for n := last; n >= from; n-- {
		off := int64(n) * PartSize
		m := min(PartSize, size-off)
		if m > 0 {
			if _, err := readSlice(ctx, blob, off, m, buf); err != nil {
				return fmt.Errorf("idbstore: files: reading %s: %w", id, err)
			}
		}
		if err := f.WritePart(ctx, id, n, buf[:m]); err != nil {
			return err
		}
	}
	return nil
}

// SealAll seals every part still in clear, in place (a database from
// before parts were sealed): one transaction per part, each part's own
// Blob type saying whether it is done, so it can stop anywhere and run
// again. A single part larger than PartSize (a file to send, stored as
// the page gave it) is cut into PartSize parts, its part 0 written last.
func (f *Files) SealAll(ctx context.Context) error {
	if f.sealer == nil {
		return nil
	}
	ids, err := f.fileIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		parts, err := f.parts(ctx, id)
		if err != nil {
			return err
		}
		for _, p := range parts {
			switch {
			case p.sealed:
				continue
			case p.n == 0 && p.size > PartSize:
				err = f.copySealed(ctx, id, p.blob, p.size, 0)
			default:
				err = f.sealInPlace(ctx, id, p)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// sealInPlace replaces a part in clear by its sealed copy.
func (f *Files) sealInPlace(ctx context.Context, id string, p part) error {
	plain := make([]byte, p.size)
	if _, err := readSlice(ctx, p.blob, 0, p.size, plain); err != nil {
		return fmt.Errorf("idbstore: files: reading %s: %w", id, err)
	}
	return f.WritePart(ctx, id, p.n, plain)
}

// fileIDs lists the ids of every stored file (one getAllKeys).
func (f *Files) fileIDs(ctx context.Context) ([]string, error) {
	_, os, err := f.tx("readonly")
	if err != nil {
		return nil, err
	}
	req, err := os.Call("getAllKeys")
	if err != nil {
		return nil, fmt.Errorf("idbstore: files: %w", err)
	}
	res, err := awaitRequests(ctx, "files keys", req)
	if err != nil {
		return nil, err
	}
	n, err := res[0].Length()
	if err != nil {
		return nil, err
	}
	var ids []string
	for i := range n {
		k, err := res[0].Index(i)
		if err != nil {
			return nil, err
		}
		v, err := k.Index(0)
		if err != nil {
			return nil, err
		}
		id, err := v.String()
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
