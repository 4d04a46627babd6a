package envelope

// Inner payload tags (the first byte inside the box).
const (
	InnerHello   = 'H' // joiner's confirmation: ratchet hello + ratchet message
	InnerRequest = 'R' // connection request to a contact address
	InnerMessage = 'M' // ratchet message
	InnerSync    = 'S' // ratchet re-synchronization (Sync): the box only
)

// MaxLinkLen bounds the invitation link carried in a request.
const MaxLinkLen = 8192

// Inner is the decoded plaintext of a box.
type Inner struct {
	Tag   byte
	Hello []byte // InnerHello: the ratchet's JoinerHello
	Link  string // InnerRequest: the requester's own invitation link
	Body  []byte // InnerHello, InnerMessage: ratchet ciphertext; InnerRequest: connInfo; InnerSync: a Sync
}

// Encode writes the inner payload.
func (in *Inner) Encode() ([]byte, error) {
	out := []byte{in.Tag}
	switch in.Tag {
	case InnerHello:
		if len(in.Hello) == 0 || len(in.Hello) > 0xffff {
			return nil, bad("hello length")
		}
		out = putU16(out, len(in.Hello))
		out = append(out, in.Hello...)
	case InnerRequest:
		if len(in.Link) == 0 || len(in.Link) > MaxLinkLen {
			return nil, bad("link length")
		}
		out = putU16(out, len(in.Link))
		out = append(out, in.Link...)
	case InnerMessage, InnerSync:
	default:
		return nil, bad("unknown inner tag %d", in.Tag)
	}
	return append(out, in.Body...), nil
}

// DecodeInner parses the plaintext of a box.
func DecodeInner(b []byte) (*Inner, error) {
	r := reader{b: b}
	in := &Inner{Tag: r.byte()}
	switch in.Tag {
	case InnerHello:
		in.Hello = r.bytes(r.uint16())
		if r.err == nil && len(in.Hello) == 0 {
			return nil, bad("empty hello")
		}
	case InnerRequest:
		in.Link = string(r.bytes(r.uint16()))
		if r.err == nil && (len(in.Link) == 0 || len(in.Link) > MaxLinkLen) {
			return nil, bad("link length")
		}
	case InnerMessage, InnerSync:
	default:
		if r.err == nil {
			return nil, bad("unknown inner tag %d", in.Tag)
		}
	}
	in.Body = r.rest()
	if r.err != nil {
		return nil, r.err
	}
	return in, nil
}
