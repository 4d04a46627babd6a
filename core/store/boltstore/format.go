//go:build !js

package boltstore

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// The file layout, format 1 (see doc.go):
//
//	"meta"        bbolt bucket: "format" → "1"
//	"b/" + name   one bbolt bucket per store bucket, created on first write
//	              key: 'k' + the store key; value: the stored value
//
// Store keys get a one-byte tag because bbolt refuses the empty key, which
// the contract allows; one common byte in front keeps the bytewise order.
// Bucket names get "b/" so that no store bucket can be taken for "meta".
const (
	formatVersion = 1
	keyTag        = 'k'
	bucketPrefix  = "b/"
)

var (
	metaBucket = []byte("meta")
	formatKey  = []byte("format")
)

// MaxKeyLen is the longest key (and bucket name) Apply accepts, in bytes:
// bbolt's limit less the tag in front.
const MaxKeyLen = bolt.MaxKeySize - len(bucketPrefix)

// MaxValueLen is the longest value Apply accepts, in bytes.
const MaxValueLen = bolt.MaxValueSize

func bucketName(bucket string) []byte {
	return append([]byte(bucketPrefix), bucket...)
}

func encodeKey(key string) []byte {
	b := make([]byte, 1+len(key))
	b[0] = keyTag
	copy(b[1:], key)
	return b
}

// checkFormat runs once at Open: it stamps a new (empty) file with the
// format record and refuses files that are not boltstore files or are newer
// than this build.
func checkFormat(tx *bolt.Tx) error {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		foreign := false
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
		if foreign {
			return ErrNotStore
		}
		meta, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		return meta.Put(formatKey, []byte(strconv.Itoa(formatVersion)))
	}
	v, err := strconv.Atoi(string(meta.Get(formatKey)))
	switch {
	case err != nil || v < 1:
		return fmt.Errorf("%w: format record %q", ErrNotStore, meta.Get(formatKey))
	case v > formatVersion:
		return fmt.Errorf("%w: format %d, this build reads %d", ErrFormatTooNew, v, formatVersion)
	}
	return nil
}
