package idbstore

import (
	"errors"
	"fmt"
)

// ErrSchemaTooNew is returned by Open when the database was upgraded by a
// newer version of the app (reload to get it).
var ErrSchemaTooNew = errors.New("idbstore: database schema is newer than this app")

// ErrUnavailable is returned by Open when IndexedDB is missing or refuses
// the open (private mode, storage disabled, upgrade aborted).
var ErrUnavailable = errors.New("idbstore: IndexedDB unavailable")

// TxError is an aborted transaction: Name is the DOMException name of the
// cause ("QuotaExceededError", "ConstraintError", "AbortError", ...). Nothing
// of the transaction was written. A quota abort also matches store.ErrQuota.
type TxError struct {
	Op      string // "apply", "get", "list"
	Name    string
	Message string
	quota   error // store.ErrQuota for a quota abort, else nil
}

func (e *TxError) Error() string {
	return fmt.Sprintf("idbstore: %s aborted: %s: %s", e.Op, e.Name, e.Message)
}

// Unwrap lets errors.Is(err, store.ErrQuota) match a quota abort.
func (e *TxError) Unwrap() error { return e.quota }
