package proto

import (
	"bytes"
	"encoding/json"
)

// MaxMessage is the largest encoded chat message SimpleX sends (room is
// left for the x.grp.msg.forward wrapper).
const MaxMessage = 15602

// Message is one chat message: the envelope and its typed params. A
// decoded message keeps the bytes it came as: it is encoded back exactly
// so (a host forwards what a member sent, with every field, also those
// this codec does not know).
type Message struct {
	V      VersionRange // zero: absent ("1")
	MsgID  Bytes        // nil: absent
	Params Params       // *GrpInv, *MsgNew, ... or *Unknown
	raw    []byte       // as received (decoded messages only)
}

// Raw is the message as it was received (nil for one made here).
func (m *Message) Raw() []byte { return m.raw }

// Event is the event name.
func (m *Message) Event() string {
	if m.Params == nil {
		return ""
	}
	return m.Params.Event()
}

type envelope struct {
	V      VersionRange    `json:"v,omitzero"`
	MsgID  Bytes           `json:"msgId,omitempty"`
	Event  string          `json:"event"`
	Params json.RawMessage `json:"params"`
}

// MarshalJSON implements json.Marshaler: a decoded message as it came.
func (m *Message) MarshalJSON() ([]byte, error) {
	if m.raw != nil {
		return m.raw, nil
	}
	var params json.RawMessage
	switch p := m.Params.(type) {
	case nil:
		return nil, errf(CodeMissing, nil, "message without params")
	case *Unknown:
		params = p.Params
	case Unknown:
		params = p.Params
	default:
		b, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		params = b
	}
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	return json.Marshal(envelope{V: m.V, MsgID: m.MsgID, Event: m.Params.Event(), Params: params})
}

// UnmarshalJSON implements json.Unmarshaler (a nested forward is refused).
func (m *Message) UnmarshalJSON(b []byte) error {
	d, err := decodeOne(b, true)
	if err != nil {
		return err
	}
	*m = *d
	return nil
}

// Encode encodes one message; it fails with CodeLarge above MaxMessage.
func Encode(m *Message) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, errf(CodeSyntax, err, "encode %s", m.Event())
	}
	if len(b) > MaxMessage {
		return nil, errf(CodeLarge, nil, "%s is %d bytes", m.Event(), len(b))
	}
	return b, nil
}

// EncodeBatch encodes messages as bodies of at most limit bytes each: a
// lone message as itself, several as a JSON array (batch).
func EncodeBatch(msgs []*Message, limit int) ([][]byte, error) {
	var out [][]byte
	var cur [][]byte
	size := 1
	flush := func() {
		switch len(cur) {
		case 0:
		case 1:
			out = append(out, cur[0])
		default:
			out = append(out, append(append([]byte("["), bytes.Join(cur, []byte(","))...), ']'))
		}
		cur, size = nil, 1
	}
	for _, m := range msgs {
		b, err := Encode(m)
		if err != nil {
			return nil, err
		}
		if len(cur) > 0 && size+len(b)+1 > limit {
			flush()
		}
		cur = append(cur, b)
		size += len(b) + 1
	}
	flush()
	return out, nil
}

// Decode decodes a body: one message, or a JSON array batch of messages.
func Decode(body []byte) ([]*Message, error) {
	t := bytes.TrimLeft(body, " \t\r\n")
	if len(t) > 0 && t[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(t, &raws); err != nil {
			return nil, errf(CodeSyntax, err, "batch")
		}
		out := make([]*Message, 0, len(raws))
		for _, r := range raws {
			m, err := decodeOne(r, false)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, nil
	}
	m, err := decodeOne(t, false)
	if err != nil {
		return nil, err
	}
	return []*Message{m}, nil
}

// DecodeOne decodes a body that must be exactly one message (connection info).
func DecodeOne(body []byte) (*Message, error) { return decodeOne(body, false) }

func decodeOne(b []byte, inner bool) (*Message, error) {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, errf(CodeSyntax, err, "envelope")
	}
	if env.Event == "" {
		return nil, errf(CodeMissing, nil, "event")
	}
	if inner && env.Event == EvGrpMsgForward {
		return nil, errf(CodeNested, nil, "forward inside forward")
	}
	raw := env.Params
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	m := &Message{V: env.V, MsgID: env.MsgID, raw: append([]byte(nil), b...)}
	p := newParams(env.Event)
	if p == nil {
		m.Params = &Unknown{Name: env.Event, Params: append(json.RawMessage{}, raw...)}
		return m, nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, errf(CodeSyntax, err, "%s params", env.Event)
	}
	if err := validate(p); err != nil {
		return nil, err
	}
	m.Params = p
	return m, nil
}
