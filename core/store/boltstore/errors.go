//go:build !js

package boltstore

import (
	"errors"
	"syscall"

	"github.com/sxweb/sxweb/core/store"
)

// ErrLocked is returned (wrapped) by Open when another process (or another
// Store in this process) holds the file and did not close it within
// Options.LockTimeout.
var ErrLocked = errors.New("boltstore: store file is in use")

// ErrNotStore is returned (wrapped) by Open for a bbolt file that holds
// other data (no boltstore format record but some buckets).
var ErrNotStore = errors.New("boltstore: not a boltstore file")

// ErrFormatTooNew is returned (wrapped) by Open for a file written by a
// newer boltstore format than this build reads.
var ErrFormatTooNew = errors.New("boltstore: store format is newer than this build")

// ErrTooLarge is returned (wrapped) by Apply for a bucket name or key longer
// than MaxKeyLen or a value longer than MaxValueLen; nothing of the batch
// was written.
var ErrTooLarge = errors.New("boltstore: key or value too large")

// storageFull reports an error of the file system meaning that no more data
// fits: the disk is full (ENOSPC), the user's disk quota is used up
// (EDQUOT) or the file hit the process's file size limit (EFBIG).
func storageFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG)
}

// quotaError is a commit that failed because the storage is full: it
// matches store.ErrQuota and the file system's error.
type quotaError struct{ err error }

func (e *quotaError) Error() string   { return "boltstore: apply: storage full: " + e.err.Error() }
func (e *quotaError) Unwrap() []error { return []error{store.ErrQuota, e.err} }
