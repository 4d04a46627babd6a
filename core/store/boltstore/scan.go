//go:build !js

package boltstore

import (
	"bytes"
	"context"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/core/store"
)

// Scan implements store.Scanner: one read transaction per page, walking
// the "b/" buckets in name order (bbolt keeps its root ordered as the
// store's buckets are) and each one's keys from where the page starts.
func (s *Store) Scan(ctx context.Context, after *store.Pos, limit int) ([]store.Record, error) {
	if limit <= 0 {
		return nil, store.ErrScanLimit
	}
	var out []store.Record
	err := s.view(ctx, func(tx *bolt.Tx) error {
		root := tx.Cursor()
		start := []byte(bucketPrefix)
		if after != nil {
			start = bucketName(after.Bucket)
		}
		for name, _ := root.Seek(start); name != nil && bytes.HasPrefix(name, []byte(bucketPrefix)); name, _ = root.Next() {
			bucket := string(name[len(bucketPrefix):])
			c := tx.Bucket(name).Cursor()
			k, v := c.First()
			if after != nil && bucket == after.Bucket {
				k, v = c.Seek(encodeKey(after.Key))
				if k != nil && string(k[1:]) == after.Key {
					k, v = c.Next()
				}
			}
			for ; k != nil; k, v = c.Next() {
				if len(out) == limit {
					return nil
				}
				out = append(out, store.Record{Bucket: bucket, Key: string(k[1:]), Value: append(make([]byte, 0, len(v)), v...)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Reset implements store.Resetter: every store bucket is dropped and b
// written in one transaction (queued behind the batches before it, like
// Apply).
func (s *Store) Reset(ctx context.Context, b *store.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var ops []store.Op
	if b != nil {
		ops = b.Ops
	}
	if err := checkSizes(ops); err != nil {
		return err
	}
	return s.c.submitReset(ops)
}

// dropAll deletes every store bucket (not the format record).
func dropAll(tx *bolt.Tx) error {
	var names [][]byte
	err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if bytes.HasPrefix(name, []byte(bucketPrefix)) {
			names = append(names, append([]byte(nil), name...))
		}
		return nil
	})
	for _, n := range names {
		if err == nil {
			err = tx.DeleteBucket(n)
		}
	}
	return err
}

// Tail implements store.Tailer: a cursor placed at the range's end walks
// back limit records.
func (s *Store) Tail(ctx context.Context, bucket, prefix, before string, limit int) ([]store.KV, error) {
	if limit <= 0 {
		return nil, store.ErrScanLimit
	}
	var out []store.KV
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketName(bucket))
		if b == nil {
			return nil
		}
		p := encodeKey(prefix)
		c := b.Cursor()
		var k, v []byte
		if end := successor(p); before != "" && (end == nil || bytes.Compare(encodeKey(before), end) < 0) {
			end = encodeKey(before)
			k, v = seekBefore(c, end)
		} else if end != nil {
			k, v = seekBefore(c, end)
		} else {
			k, v = c.Last()
		}
		for ; k != nil && bytes.HasPrefix(k, p) && len(out) < limit; k, v = c.Prev() {
			out = append(out, store.KV{Key: string(k[1:]), Value: append(make([]byte, 0, len(v)), v...)})
		}
		slices.Reverse(out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// seekBefore places c on the last key below end.
func seekBefore(c *bolt.Cursor, end []byte) ([]byte, []byte) {
	if k, _ := c.Seek(end); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// successor is the least key above every key starting with p (nil: none,
// p is all 0xff).
func successor(p []byte) []byte {
	s := bytes.Clone(p)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xff {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}
