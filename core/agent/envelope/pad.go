package envelope

import (
	"errors"

	"github.com/sxweb/sxweb/core/crypto/padding"
)

// MaxPlaintext is the largest inner payload Seal accepts.
const MaxPlaintext = padding.MaxPayload

// pad pads to the bucket sizes of core/crypto/padding.
func pad(msg []byte) ([]byte, error) {
	b, err := padding.Pad(msg)
	if errors.Is(err, padding.ErrTooLarge) {
		return nil, &Error{Code: CodeTooLarge, Reason: err.Error()}
	}
	return b, err
}

func unpad(b []byte) ([]byte, error) {
	m, err := padding.Unpad(b)
	if err != nil {
		return nil, bad("%v", err)
	}
	return append([]byte{}, m...), nil
}
