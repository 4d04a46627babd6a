package wire

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every decoding error about malformed bytes.
var ErrSyntax = errors.New("wire: syntax error")

// ErrUnknown is wrapped when a transmission carries an unknown command code.
var ErrUnknown = errors.New("wire: unknown command")

// ErrTooLarge is returned when an encoded frame would exceed MaxFrame.
var ErrTooLarge = errors.New("wire: frame too large")

func syntaxf(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, a...)...)
}

// ErrCode is a protocol error code carried by ERR.
type ErrCode byte

// Error codes (stable; the byte values are on the wire).
const (
	ErrAuth          ErrCode = 1 // bad authenticator, unknown queue or wrong id kind
	ErrQuota         ErrCode = 2 // queue full until the recipient drains it
	ErrLargeMsg      ErrCode = 3 // SEND body larger than the relay accepts
	ErrNoMsg         ErrCode = 4 // ACK of a message that is not the current one; GET on an empty queue
	ErrCmdSyntax     ErrCode = 5 // malformed frame or transmission
	ErrCmdUnknown    ErrCode = 6 // unknown command code
	ErrCmdProhibited ErrCode = 7 // command not allowed here (e.g. SUB over HTTP POST)
	ErrNoAuth        ErrCode = 8 // command needs an authenticator and has none
	ErrInternal      ErrCode = 9 // relay failure (storage); retry later
	// ErrRate: the session or its client address created queues faster
	// than the relay allows; nothing was done. Retry after a delay (the
	// allowance refills at a fixed rate, docs/relay-protocol.md "Limits").
	ErrRate ErrCode = 10
	// ErrLimit: the session or its client address already holds as many
	// subscriptions as the relay allows; nothing was done. Retrying on the
	// same connection fails until some are released (DEL, END, a session
	// of the address closing).
	ErrLimit ErrCode = 11
)

var errNames = [...]string{"", "AUTH", "QUOTA", "LARGE_MSG", "NO_MSG", "CMD_SYNTAX", "CMD_UNKNOWN", "CMD_PROHIBITED", "NO_AUTH", "INTERNAL",
	"RATE", "LIMIT"}

// String returns the code's stable name (e.g. "AUTH").
func (c ErrCode) String() string {
	if int(c) < len(errNames) && c != 0 {
		return errNames[c]
	}
	return fmt.Sprintf("ERR_%d", byte(c))
}

// ParseErrCode maps a stable name back to its code (0, false if unknown).
func ParseErrCode(s string) (ErrCode, bool) {
	for i, n := range errNames {
		if n == s && i != 0 {
			return ErrCode(i), true
		}
	}
	return 0, false
}
