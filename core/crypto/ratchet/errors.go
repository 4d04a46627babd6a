package ratchet

import "fmt"

// Error is the error type of this package. Code is stable and suitable for
// logs, metrics and the JS API; the sentinels below are its only values,
// possibly wrapped with detail (use errors.Is or errors.As).
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string { return "ratchet: " + e.msg }

var (
	// ErrBadMessage: the bytes are not a ratchet message of a known version
	// (too short, unknown version). Nothing was decrypted.
	ErrBadMessage = &Error{"BAD_MESSAGE", "malformed message"}
	// ErrDecrypt: no header key opens the header, or the body does not
	// authenticate (tampered, wrong associated data, or not for this
	// connection).
	ErrDecrypt = &Error{"DECRYPT", "decryption failed"}
	// ErrDuplicate: the message was already decrypted (or its skipped key
	// was evicted after MaxSkippedKeys newer skipped keys).
	ErrDuplicate = &Error{"DUPLICATE", "duplicate message"}
	// ErrTooManySkipped: accepting the message would skip more than
	// MaxSkip messages in one chain.
	ErrTooManySkipped = &Error{"TOO_MANY_SKIPPED", "too many skipped messages"}
	// ErrBadEncoding: keys, hello, secret or state bytes are malformed.
	ErrBadEncoding = &Error{"BAD_ENCODING", "malformed encoding"}
	// ErrBadKey: a peer's public key is unusable (an X25519 low-order
	// point, or an invalid ML-KEM encapsulation key).
	ErrBadKey = &Error{"BAD_KEY", "invalid public key"}
	// ErrExhausted: the sending chain reached 2^32-1 messages.
	ErrExhausted = &Error{"EXHAUSTED", "message counter exhausted"}
	// ErrRandom: the randomness source failed.
	ErrRandom = &Error{"RANDOM", "randomness source failed"}
)

func errorf(sentinel *Error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
