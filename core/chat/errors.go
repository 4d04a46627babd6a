package chat

import (
	"errors"
	"fmt"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/store"
)

// Stable error codes (the JS API exposes them as Error.code).
const (
	CodeNotFound          = "NOT_FOUND"
	CodeNotAllowed        = "NOT_ALLOWED"
	CodeDirectMessagesOff = "DIRECT_MESSAGES_OFF"
	CodeBadLink           = "BAD_LINK"
	CodeBadRequest        = "BAD_REQUEST"
	CodeBadArgument       = "BAD_ARGUMENT" // a value outside the accepted set (e.g. a reaction)
	CodeContactExists     = "CONTACT_EXISTS"
	CodeNotConnected      = "NOT_CONNECTED"
	CodeAgent             = "AGENT"
	CodeStore             = "STORE"
	CodeClosed            = "CLOSED"
	CodeCanceled          = "CANCELED" // the operation was cancelled (a file's transfer)
	// CodeFileFailed: a file's transfer failed for good (a chunk did not
	// check out, the relay refused it, the storage is full).
	CodeFileFailed = "FILE_FAILED"
	// CodeQuota: the store is full (the browser's quota): nothing of the
	// call was written.
	CodeQuota = "QUOTA"
	// CodeTooLarge: a message above the agent's limit (for a group message:
	// the limit less the room the host's x.grp.msg.forward needs). An API
	// call fails with it; a message an incoming event would send is
	// recorded with it and skipped.
	CodeTooLarge = "TOO_LARGE"
	// Codes of recorded (skipped) incoming events, in ErrorEvent.
	CodeUnknownEvent  = "UNKNOWN_EVENT"
	CodeUnknownMember = "UNKNOWN_MEMBER"
	CodeProhibited    = "PROHIBITED"
	CodeBadMessage    = "BAD_MESSAGE"
	// CodeUnknownMessage: an edit, delete or reaction for a message that is
	// not here.
	CodeUnknownMessage = "UNKNOWN_MESSAGE"
	// CodeHandlerFailed: handling an incoming event failed for good (a bug:
	// the handler panicked); the agent keeps the event, nothing else of it
	// was stored.
	CodeHandlerFailed = "HANDLER_FAILED"
	// CodeEventsDropped: more events waited for a reader than
	// Config.MaxEvents; the oldest were dropped.
	CodeEventsDropped = "EVENTS_DROPPED"
)

// Error is every error the Client returns.
type Error struct {
	Code   string
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := "chat: " + e.Code
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode is the stable code (the browser bridge's Coded interface).
func (e *Error) ErrorCode() string { return e.Code }

func newErr(code string, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

func wrapErr(code string, err error, what string) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	switch {
	case errors.Is(err, store.ErrQuota):
		code = CodeQuota
	case agent.ErrorCode(err) == agent.CodeNotConnected:
		code = CodeNotConnected
	}
	return &Error{Code: code, Detail: what, Err: err}
}

// fromAgent gives an error out of an agent transaction its chat code
// (one the chat layer made keeps its own).
func fromAgent(err error) error {
	if err == nil {
		return nil
	}
	code := CodeAgent
	if agent.ErrorCode(err) == agent.CodeStore {
		code = CodeStore
	}
	return wrapErr(code, err, "")
}

// ErrorCode returns the code of a chat error, or "" for nil, or AGENT for
// other errors.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	return CodeAgent
}
