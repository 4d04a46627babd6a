package diskstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/files"
)

// Store is files.Store on a directory (see the package doc).
type Store struct {
	db     *bolt.DB
	chunks string // directory of chunk files
	tmp    string // directory of uploads in progress
	stored atomic.Int64
}

var _ files.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dir, removes what a crash
// may have left (uploads in progress, files no record points to) and
// counts the bytes stored.
func Open(dir string) (*Store, error) {
	s := &Store{chunks: filepath.Join(dir, "chunks"), tmp: filepath.Join(dir, "tmp")}
	for _, d := range []string{dir, s.chunks, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	db, err := bolt.Open(filepath.Join(dir, "files.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("diskstore: open: %w", err)
	}
	s.db = db
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bktChunks, bktRecips, bktLinks, bktExpiry} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = s.recover()
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// recover empties tmp/, removes chunk files without an uploaded record
// (a crash between a rename and its commit, or between a deletion's
// commit and the file's removal) and counts the bytes stored.
func (s *Store) recover() error {
	if err := os.RemoveAll(s.tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return err
	}
	names := map[string]bool{}
	var stored int64
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bktChunks).ForEach(func(k, v []byte) error {
			r, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("diskstore: chunk record: %w", err)
			}
			if r.uploaded {
				names[hex.EncodeToString(r.name[:])] = true
				stored += int64(r.size)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	ents, err := os.ReadDir(s.chunks)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !names[e.Name()] {
			if err := os.Remove(filepath.Join(s.chunks, e.Name())); err != nil {
				return err
			}
		}
	}
	s.stored.Store(stored)
	return nil
}

// Close closes files.db.
func (s *Store) Close() error { return s.db.Close() }

// Stored implements files.Store.
func (s *Store) Stored() int64 { return s.stored.Load() }

// Used returns the bytes of the chunks and of files.db (the watermark's
// measure).
func (s *Store) Used() (int64, error) {
	var size int64
	err := s.db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	return s.stored.Load() + size, err
}

// Dir returns the directory of chunk files (tests corrupt or count them).
func (s *Store) Dir() string { return s.chunks }

func (s *Store) path(name [nameLen]byte) string {
	return filepath.Join(s.chunks, hex.EncodeToString(name[:]))
}

func newID() []byte {
	b := make([]byte, idLen)
	rand.Read(b)
	return b
}

// Create implements files.Store.
func (s *Store) Create(ctx context.Context, c files.NewChunk) ([]byte, [][]byte, error) {
	sid := newID()
	r := record{size: c.Size, expires: c.Expires.UnixMilli(), key: c.SenderKey, recipients: len(c.RecipientKeys)}
	rand.Read(r.name[:])
	var rids [][]byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bktChunks).Get(sid) != nil { // 2^-192: but never overwrite
			return fmt.Errorf("diskstore: sender id taken")
		}
		if err := tx.Bucket(bktChunks).Put(sid, r.encode()); err != nil {
			return err
		}
		if err := tx.Bucket(bktExpiry).Put(expiryKey(r.expires, sid), nil); err != nil {
			return err
		}
		var err error
		rids, err = addRecipients(tx, sid, c.RecipientKeys)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return sid, rids, nil
}

// addRecipients writes new recipient ids with their keys for chunk sid.
func addRecipients(tx *bolt.Tx, sid []byte, keys [][]byte) ([][]byte, error) {
	rb, lb := tx.Bucket(bktRecips), tx.Bucket(bktLinks)
	rids := make([][]byte, len(keys))
	for i, k := range keys {
		rid := newID()
		if rb.Get(rid) != nil {
			return nil, fmt.Errorf("diskstore: recipient id taken")
		}
		if err := rb.Put(rid, append(append(make([]byte, 0, idLen+keyLen), sid...), k...)); err != nil {
			return nil, err
		}
		if err := lb.Put(append(append(make([]byte, 0, 2*idLen), sid...), rid...), nil); err != nil {
			return nil, err
		}
		rids[i] = rid
	}
	return rids, nil
}

// get reads chunk sid's record (files.ErrNotFound).
func get(tx *bolt.Tx, sid []byte) (record, error) {
	v := tx.Bucket(bktChunks).Get(sid)
	if v == nil {
		return record{}, files.ErrNotFound
	}
	return decodeRecord(v)
}

// BySender implements files.Store.
func (s *Store) BySender(ctx context.Context, sid []byte) (files.Chunk, error) {
	var c files.Chunk
	err := s.db.View(func(tx *bolt.Tx) error {
		r, err := get(tx, sid)
		c = r.chunk(sid)
		return err
	})
	return c, err
}

// byRecipient reads the sender id and key of recipient rid.
func byRecipient(tx *bolt.Tx, rid []byte) (sid, key []byte, err error) {
	v := tx.Bucket(bktRecips).Get(rid)
	if len(v) != idLen+keyLen {
		return nil, nil, files.ErrNotFound
	}
	return bytes.Clone(v[:idLen]), bytes.Clone(v[idLen:]), nil
}

// ByRecipient implements files.Store.
func (s *Store) ByRecipient(ctx context.Context, rid []byte) (files.Chunk, []byte, error) {
	var c files.Chunk
	var key []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		sid, k, err := byRecipient(tx, rid)
		if err != nil {
			return err
		}
		r, err := get(tx, sid)
		c, key = r.chunk(sid), k
		return err
	})
	return c, key, err
}

// AddRecipients implements files.Store.
func (s *Store) AddRecipients(ctx context.Context, sid []byte, keys [][]byte, max int) ([][]byte, error) {
	var rids [][]byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		r, err := get(tx, sid)
		if err != nil {
			return err
		}
		if r.recipients+len(keys) > max {
			return files.ErrFull
		}
		r.recipients += len(keys)
		if err := tx.Bucket(bktChunks).Put(sid, r.encode()); err != nil {
			return err
		}
		rids, err = addRecipients(tx, sid, keys)
		return err
	})
	return rids, err
}

// OpenServer opens the store in dir and starts a file relay on it
// (cfg.Store and cfg.DataDir are set here); closing the server closes the
// store.
func OpenServer(dir string, cfg files.Config) (*files.Server, error) {
	st, err := Open(dir)
	if err != nil {
		return nil, err
	}
	cfg.Store, cfg.DataDir = st, dir
	srv, err := files.New(cfg)
	if err != nil {
		st.Close()
	}
	return srv, err
}
