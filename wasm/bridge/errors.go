package bridge

import (
	"context"
	"errors"
	"fmt"

	"github.com/sxweb/sxweb/core/store"
)

// Stable codes the bridge itself produces.
const (
	CodeInternal    = "INTERNAL"     // a panic or an error without a code
	CodeBadArgument = "BAD_ARGUMENT" // a JS argument of the wrong type
	CodeQuota       = "QUOTA"        // browser storage is full
	CodeClosed      = "CLOSED"       // the handle was closed
	CodeCanceled    = "CANCELED"     // the operation was canceled
	CodeUnknown     = "UNKNOWN_METHOD"
)

// Error is an error with a stable code, as JS sees it (Error.code).
type Error struct {
	Code string
	Msg  string
}

func (e *Error) Error() string { return e.Code + ": " + e.Msg }

// Errorf returns an *Error with code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Coded is implemented by errors that carry a stable code (chat.Error, ...).
type Coded interface{ ErrorCode() string }

// CodeOf returns the stable code JS sees for err.
func CodeOf(err error) string {
	var be *Error
	var c Coded
	switch {
	case errors.As(err, &be):
		return be.Code
	case errors.Is(err, store.ErrQuota): // whatever layer wrapped it: the browser's quota is full
		return CodeQuota
	case errors.As(err, &c) && c.ErrorCode() != "":
		return c.ErrorCode()
	case errors.Is(err, store.ErrClosed):
		return CodeClosed
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CodeCanceled
	}
	return CodeInternal
}
