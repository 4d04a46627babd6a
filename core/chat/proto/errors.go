package proto

import "fmt"

// Error codes returned by the decoder.
const (
	CodeSyntax  = "SYNTAX"  // not JSON, or a field of the wrong type
	CodeMissing = "MISSING" // a required field is absent
	CodeNested  = "NESTED"  // x.grp.msg.forward inside x.grp.msg.forward
	CodeLarge   = "LARGE"   // an encoded message is above MaxMessage
)

// Error is a decoding or encoding error with a stable code.
type Error struct {
	Code   string
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := "proto: " + e.Code
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

func errf(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...), Err: err}
}
