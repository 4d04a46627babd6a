package agent

import (
	"errors"
	"fmt"
)

// Stable error codes.
const (
	CodeBadLink      = "BAD_LINK"      // a link did not parse (see core/agent/link)
	CodeNotFound     = "NOT_FOUND"     // unknown connection, confirmation or request
	CodeBadState     = "BAD_STATE"     // the connection cannot do this now
	CodeLargeMsg     = "LARGE_MSG"     // body above MaxMessage
	CodeNoRelay      = "NO_RELAY"      // Config.Relays is empty
	CodeNotConnected = "NOT_CONNECTED" // the relay is not reachable for a call that needs it
	CodeNotStarted   = "NOT_STARTED"   // Start was not called (or Close was)
	CodeRelay        = "RELAY"         // the relay refused (wrapped cause)
	CodeStore        = "STORE"         // the store failed (wrapped cause)
	CodeBadEnvelope  = "BAD_ENVELOPE"  // internal encoding failure
	// CodeRestored fails a message that the copy this store was restored
	// from had sealed and not yet seen sent: this copy does not send it
	// (the other may have, with the same ratchet key), so it may or may
	// not have arrived.
	CodeRestored = "RESTORED"
)

// Error is the typed error of the agent.
type Error struct {
	Code string
	Err  error // cause, may be nil
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "agent: " + e.Code
	}
	return fmt.Sprintf("agent: %s: %v", e.Code, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func errf(code, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

func wrap(code string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: code, Err: err}
}

// ErrorCode returns the stable code of err ("" if it is not an agent error).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
