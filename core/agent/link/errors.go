package link

import "fmt"

// CodeBadLink is the stable code of every parse error.
const CodeBadLink = "BAD_LINK"

// Error is the typed error returned by Parse and Decode.
type Error struct {
	Code   string // always CodeBadLink
	Reason string // human-readable detail, not stable
}

func (e *Error) Error() string { return fmt.Sprintf("link: %s: %s", e.Code, e.Reason) }

func bad(format string, args ...any) error {
	return &Error{Code: CodeBadLink, Reason: fmt.Sprintf(format, args...)}
}
