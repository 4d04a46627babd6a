package padding

import "fmt"

// Error is the error type of this package, with a stable Code.
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string { return "padding: " + e.msg }

var (
	// ErrTooLarge: the message is longer than MaxPayload.
	ErrTooLarge = &Error{"TOO_LARGE", "message too large"}
	// ErrBadPadding: the input is not a valid padded message.
	ErrBadPadding = &Error{"BAD_PADDING", "malformed padding"}
)

func errorf(sentinel *Error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
