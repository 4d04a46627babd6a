package jsws

import (
	"errors"
	"fmt"
)

// ErrClosed is returned by Read and Write on a closed connection (wrapped in
// a *CloseError when the peer or the network closed it).
var ErrClosed = errors.New("jsws: connection closed")

// ErrDial is returned (wrapped) when the WebSocket could not be opened.
var ErrDial = errors.New("jsws: dial failed")

// CloseError says how the connection ended: the WebSocket close code and
// reason (1006 when the network dropped it).
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("jsws: connection closed (code %d %s)", e.Code, e.Reason)
}

// Unwrap makes errors.Is(err, ErrClosed) hold.
func (e *CloseError) Unwrap() error { return ErrClosed }
