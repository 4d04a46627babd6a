package cfworker

import "errors"

// Errors with stable meaning.
var (
	// ErrBadKey: the relay's auth key (RELAY_AUTH_KEY) is missing or not
	// 32 bytes of hex.
	ErrBadKey = errors.New("cfworker: RELAY_AUTH_KEY must be 64 hex digits (a 32-byte X25519 private key)")
	// ErrBadRequest: a request between the Worker's own parts is malformed.
	ErrBadRequest = errors.New("cfworker: malformed internal request")
	// ErrCorrupt: a stored record does not decode.
	ErrCorrupt = errors.New("cfworker: corrupt stored record")
	// ErrGone: the session a push was for has no open WebSocket any more.
	ErrGone = errors.New("cfworker: session gone")
)
