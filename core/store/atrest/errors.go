package atrest

import "errors"

var (
	// ErrBadPassphrase: the passphrase does not unwrap the data key (or
	// one was given for a database that has none).
	ErrBadPassphrase = errors.New("atrest: wrong passphrase")
	// ErrPassphraseRequired: the database's key is wrapped by a
	// passphrase and none was given.
	ErrPassphraseRequired = errors.New("atrest: the database needs its passphrase")
	// ErrKeyUnavailable: the device key is gone or does not unwrap the
	// data key (the browser's key store was cleared): the data cannot be
	// read any more.
	ErrKeyUnavailable = errors.New("atrest: the device key cannot unwrap the data key")
	// ErrHeader: the header record does not parse (damaged).
	ErrHeader = errors.New("atrest: bad header record")
	// ErrCorrupt: a sealed value does not open (damaged, moved to another
	// key, or written under another key).
	ErrCorrupt = errors.New("atrest: a sealed value does not open")
	// ErrReserved: a write to the header's bucket.
	ErrReserved = errors.New("atrest: the bucket " + Bucket + " is reserved")
	// ErrPlain: a passphrase for a database kept unencrypted (ModeNone).
	ErrPlain = errors.New("atrest: the database is not encrypted")
)
