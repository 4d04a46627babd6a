package envelope

import "fmt"

// Stable error codes.
const (
	CodeBadEnvelope = "BAD_ENVELOPE" // malformed bytes
	CodeDecrypt     = "DECRYPT"      // box authentication failed
	CodeTooLarge    = "LARGE_MSG"    // plaintext above MaxPlaintext
)

// Error is the typed error of this package.
type Error struct {
	Code   string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("envelope: %s: %s", e.Code, e.Reason) }

func bad(format string, args ...any) error {
	return &Error{Code: CodeBadEnvelope, Reason: fmt.Sprintf(format, args...)}
}
