package wire

import (
	"encoding/binary"
	"fmt"
)

// Decode parses one raw transmission (as returned by NextRaw). On a
// parameter error it still fills in CorrID and EntityID when they could be
// read, so the relay can answer ERR to the right correlation id. The error
// wraps ErrSyntax or ErrUnknown.
func Decode(raw []byte) (Transmission, error) {
	var t Transmission
	if len(raw) == 0 {
		return t, syntaxf("empty transmission")
	}
	hdr := raw[0]
	t.Header = hdr
	t.Code = Code(hdr & hdrCode)
	p := raw[1:]
	if hdr&hdrAuth != 0 {
		if len(p) < TagLen {
			return t, syntaxf("short tag")
		}
		t.Auth, p = p[:TagLen], p[TagLen:]
	}
	t.Signed = p
	if hdr&hdrCorr != 0 {
		if len(p) < 1 || p[0] == 0 || int(p[0]) > MaxCorrID || len(p) < 1+int(p[0]) {
			return t, syntaxf("bad correlation id")
		}
		t.CorrID, p = p[1:1+int(p[0])], p[1+int(p[0]):]
	}
	if hdr&hdrEntity != 0 {
		if len(p) < IDLen {
			return t, syntaxf("short entity id")
		}
		t.EntityID, p = p[:IDLen], p[IDLen:]
	}
	if !t.Code.IsClient() && !t.Code.IsServer() {
		return t, fmt.Errorf("%w: code %d", ErrUnknown, t.Code)
	}
	return t, t.decodeParams(p)
}

func (t *Transmission) decodeParams(p []byte) error {
	fixed := func(n int) error {
		if len(p) != n {
			return syntaxf("%v: %d parameter bytes, want %d", t.Code, len(p), n)
		}
		return nil
	}
	switch t.Code {
	case NEW:
		if err := fixed(2 * KeyLen); err != nil {
			return err
		}
		t.Key1, t.Key2 = p[:KeyLen], p[KeyLen:]
	case SKEY:
		if err := fixed(KeyLen); err != nil {
			return err
		}
		t.Key1 = p
	case SEND:
		t.Body = p
	case ACK:
		if err := fixed(IDLen); err != nil {
			return err
		}
		t.MsgID = p
	case IDS:
		if err := fixed(2*IDLen + KeyLen); err != nil {
			return err
		}
		t.RecipientID, t.SenderID, t.ServerDHKey = p[:IDLen], p[IDLen:2*IDLen], p[2*IDLen:]
	case MSG:
		if len(p) < IDLen+8 {
			return syntaxf("short MSG")
		}
		t.MsgID = p[:IDLen]
		t.Timestamp = int64(binary.BigEndian.Uint64(p[IDLen:]))
		t.Body = p[IDLen+8:]
	case ERR:
		if err := fixed(1); err != nil {
			return err
		}
		t.Err = ErrCode(p[0])
	default:
		return fixed(0)
	}
	return nil
}
