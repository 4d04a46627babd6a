package envelope

import "encoding/binary"

// Interim padding until core/crypto/padding lands: 2-byte length prefix,
// zero fill to a multiple of 256.
func pad(msg []byte) ([]byte, error) {
	if len(msg) > 16000 {
		return nil, &Error{Code: CodeTooLarge, Reason: "plaintext too large"}
	}
	n := (len(msg) + 2 + 255) / 256 * 256
	out := make([]byte, n)
	binary.BigEndian.PutUint16(out, uint16(len(msg)))
	copy(out[2:], msg)
	return out, nil
}

func unpad(b []byte) ([]byte, error) {
	if len(b) < 2 || int(binary.BigEndian.Uint16(b)) > len(b)-2 {
		return nil, bad("bad padding")
	}
	return b[2 : 2+int(binary.BigEndian.Uint16(b))], nil
}
