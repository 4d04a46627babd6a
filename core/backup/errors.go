package backup

import "errors"

// Error is a failure with a stable code (the JS API's Error.code).
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string     { return "backup: " + e.msg }
func (e *Error) ErrorCode() string { return e.Code }

// The errors of this package; match them with errors.Is (details are
// wrapped around them).
var (
	// ErrBadPassphrase: the passphrase does not open the backup. A header
	// whose salt or parameters were altered reads the same: nothing can
	// tell the two apart.
	ErrBadPassphrase = &Error{"BAD_PASSPHRASE", "wrong passphrase"}
	// ErrBadBackup: not a backup, or damaged, truncated, extended or
	// forged.
	ErrBadBackup = &Error{"BAD_BACKUP", "not a backup, or damaged"}
	// ErrSchemaTooNew: written by a newer app (a newer format or a newer
	// schema of the records than this app reads).
	ErrSchemaTooNew = &Error{"SCHEMA_TOO_NEW", "made by a newer version of the app"}
	// ErrNotEmpty: the database to import into holds an account.
	ErrNotEmpty = &Error{"NOT_EMPTY", "the database is not empty"}
	// ErrIncomplete: the database holds an import that did not finish.
	ErrIncomplete = &Error{"DAMAGED", "an import into this database did not finish"}
)

var errOrder = errors.New("entries out of order")
