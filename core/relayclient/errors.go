package relayclient

import (
	"errors"

	"github.com/sxweb/sxweb/relay/wire"
)

// ErrNotConnected is returned when there is no connection to the relay or
// it dropped before the response came; the operation may be retried.
var ErrNotConnected = errors.New("relayclient: not connected")

// ErrClosed is returned after Close.
var ErrClosed = errors.New("relayclient: closed")

// ErrProtocol is returned when the relay answered something unexpected.
var ErrProtocol = errors.New("relayclient: unexpected response")

// Error is an error returned by the relay (ERR code).
type Error struct {
	// AUTH, QUOTA, LARGE_MSG, NO_MSG, CMD_SYNTAX, CMD_UNKNOWN, CMD_PROHIBITED,
	// NO_AUTH, INTERNAL, RATE, LIMIT (docs/relay-protocol.md). Retry later:
	// QUOTA, INTERNAL, RATE. LIMIT holds on this connection until the
	// client releases subscriptions.
	Code string
}

func (e *Error) Error() string { return "relay: " + e.Code }

// Is makes errors.Is(err, &Error{Code: "AUTH"}) match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Stable error values for errors.Is.
var (
	ErrAuth  = &Error{Code: "AUTH"}
	ErrQuota = &Error{Code: "QUOTA"}
	ErrLarge = &Error{Code: "LARGE_MSG"}
	ErrNoMsg = &Error{Code: "NO_MSG"}
	ErrRate  = &Error{Code: "RATE"}  // too many NEWs too fast: retry after a delay
	ErrLimit = &Error{Code: "LIMIT"} // too many subscriptions held by this session or address
)

func relayErr(c wire.ErrCode) error { return &Error{Code: c.String()} }
