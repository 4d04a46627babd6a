package diskstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/files"
)

// DeleteRecipient implements files.Store.
func (s *Store) DeleteRecipient(ctx context.Context, rid []byte) (bool, error) {
	var gone *record
	err := s.db.Update(func(tx *bolt.Tx) error {
		gone = nil
		sid, _, err := byRecipient(tx, rid)
		if err != nil {
			return err
		}
		r, err := get(tx, sid)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bktRecips).Delete(rid); err != nil {
			return err
		}
		if err := tx.Bucket(bktLinks).Delete(append(bytes.Clone(sid), rid...)); err != nil {
			return err
		}
		if r.recipients--; r.recipients > 0 {
			return tx.Bucket(bktChunks).Put(sid, r.encode())
		}
		gone = &r
		return deleteChunk(tx, sid, &r)
	})
	if err != nil || gone == nil {
		return false, err
	}
	s.removeFile(gone)
	return true, nil
}

// Delete implements files.Store.
func (s *Store) Delete(ctx context.Context, sid []byte) error {
	var r record
	err := s.db.Update(func(tx *bolt.Tx) (err error) {
		if r, err = get(tx, sid); err != nil {
			return err
		}
		return deleteChunk(tx, sid, &r)
	})
	if err == nil {
		s.removeFile(&r)
	}
	return err
}

// deleteChunk removes a chunk's record, its expiry entry and every
// recipient id it has left.
func deleteChunk(tx *bolt.Tx, sid []byte, r *record) error {
	lb, rb := tx.Bucket(bktLinks), tx.Bucket(bktRecips)
	var links [][]byte
	c := lb.Cursor()
	for k, _ := c.Seek(sid); k != nil && bytes.HasPrefix(k, sid); k, _ = c.Next() {
		links = append(links, bytes.Clone(k))
	}
	for _, k := range links {
		if err := rb.Delete(k[idLen:]); err != nil {
			return err
		}
		if err := lb.Delete(k); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bktExpiry).Delete(expiryKey(r.expires, sid)); err != nil {
		return err
	}
	return tx.Bucket(bktChunks).Delete(sid)
}

// removeFile removes a deleted chunk's file, after the commit (a crash
// before leaves a file no record points to: Open removes it).
func (s *Store) removeFile(r *record) {
	if r.uploaded {
		os.Remove(s.path(r.name))
		s.stored.Add(-int64(r.size))
	}
}

// Expire implements files.Store: chunks by expiry time, oldest first, up
// to limit in one transaction.
func (s *Store) Expire(ctx context.Context, now time.Time, limit int) ([][]byte, error) {
	var sids [][]byte
	var recs []record
	err := s.db.Update(func(tx *bolt.Tx) error {
		sids, recs = nil, nil
		c := tx.Bucket(bktExpiry).Cursor()
		var keys [][]byte
		for k, _ := c.First(); k != nil && len(keys) < limit; k, _ = c.Next() {
			if int64(binary.BigEndian.Uint64(k)) > now.UnixMilli() {
				break
			}
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			sid := k[8:]
			r, err := get(tx, sid)
			if err == files.ErrNotFound { // an index entry without its chunk: drop it
				if err := tx.Bucket(bktExpiry).Delete(k); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if err := deleteChunk(tx, sid, &r); err != nil {
				return err
			}
			sids, recs = append(sids, sid), append(recs, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range recs {
		s.removeFile(&recs[i])
	}
	return sids, nil
}
