package proto

import (
	"encoding/json"
	"time"
)

// Events of the message features (replies, edits, deletes, reactions).
const (
	EvMsgUpdate = "x.msg.update"
	EvMsgDel    = "x.msg.del"
	EvMsgReact  = "x.msg.react"
	EvFileDescr = "x.msg.file.descr"
)

// MsgNew is x.msg.new: a message container. Content is required; quote,
// timed messages (ttl) and mentions are the features this project uses;
// every other key (file, live, forward, ...) is kept in Extra and written
// back as it came.
type MsgNew struct {
	Content  MsgContent                 `json:"content"`
	Quote    *QuotedMsg                 `json:"quote,omitempty"`
	File     *FileInvitation            `json:"file,omitempty"`
	TTL      *int                       `json:"ttl,omitempty"`
	Mentions map[string]MentionedMember `json:"mentions,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// FileInvitation is a message's file (SimpleX's shape): its name, size
// and digest, and — between contacts, when it fits — its description.
type FileInvitation struct {
	FileName   string     `json:"fileName"`
	FileSize   int64      `json:"fileSize"`
	FileDigest Bytes      `json:"fileDigest,omitempty"`
	FileDescr  *FileDescr `json:"fileDescr,omitempty"`
}

// FileDescr is (a part of) a file description's text.
type FileDescr struct {
	FileDescrText     string `json:"fileDescrText"`
	FileDescrPartNo   int    `json:"fileDescrPartNo"`
	FileDescrComplete bool   `json:"fileDescrComplete"`
}

// MsgFileDescr is x.msg.file.descr: the description of message MsgID's
// file for this recipient (in parts when it does not fit one message).
type MsgFileDescr struct {
	MsgID     Bytes     `json:"msgId"`
	FileDescr FileDescr `json:"fileDescr"`
}

// QuotedMsg is a reply's quote: the message it answers and its content.
type QuotedMsg struct {
	MsgRef  MsgRef     `json:"msgRef"`
	Content MsgContent `json:"content"`
}

// MsgRef names a message: its msgId, when it was sent, whether the
// quoting side sent it, and (in groups) its author.
type MsgRef struct {
	MsgID    Bytes     `json:"msgId,omitempty"`
	SentAt   time.Time `json:"sentAt"`
	Sent     bool      `json:"sent"`
	MemberID Bytes     `json:"memberId,omitempty"`
}

// MentionedMember is the member a mention (@name) names.
type MentionedMember struct {
	MemberID Bytes `json:"memberId"`
}

// MsgUpdate is x.msg.update: the author edits its message MsgID.
type MsgUpdate struct {
	MsgID    Bytes                      `json:"msgId"`
	Content  MsgContent                 `json:"content"`
	Mentions map[string]MentionedMember `json:"mentions,omitempty"`
	TTL      *int                       `json:"ttl,omitempty"`
	Live     *bool                      `json:"live,omitempty"`
}

// MsgDel is x.msg.del: MsgID is deleted by its author, or (MemberID set:
// the author) by a moderator.
type MsgDel struct {
	MsgID    Bytes `json:"msgId"`
	MemberID Bytes `json:"memberId,omitempty"`
}

// MsgReact is x.msg.react: a reaction to MsgID (of MemberID, in groups)
// added or removed.
type MsgReact struct {
	MsgID    Bytes    `json:"msgId"`
	MemberID Bytes    `json:"memberId,omitempty"`
	Reaction Reaction `json:"reaction"`
	Add      bool     `json:"add"`
}

// Reaction is {"type":"emoji","emoji"}.
type Reaction struct {
	Type  string `json:"type"`
	Emoji string `json:"emoji"`
}

// Reactions is the emoji set SimpleX accepts, in its order.
var Reactions = []string{"👍", "👎", "😀", "😂", "😢", "❤️", "🚀", "✅"}

// KnownReaction reports whether r is an emoji of the accepted set.
func KnownReaction(r Reaction) bool {
	if r.Type != "emoji" {
		return false
	}
	for _, e := range Reactions {
		if e == r.Emoji {
			return true
		}
	}
	return false
}

func (MsgUpdate) Event() string    { return EvMsgUpdate }
func (MsgDel) Event() string       { return EvMsgDel }
func (MsgReact) Event() string     { return EvMsgReact }
func (MsgFileDescr) Event() string { return EvFileDescr }

// msgNewKeys are the container keys MsgNew decodes itself.
var msgNewKeys = map[string]bool{"content": true, "quote": true, "file": true, "ttl": true, "mentions": true}

// MarshalJSON implements json.Marshaler, writing Extra keys too.
func (m MsgNew) MarshalJSON() ([]byte, error) {
	type plain MsgNew
	b, err := json.Marshal(plain(m))
	if err != nil || len(m.Extra) == 0 {
		return b, err
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	for k, v := range m.Extra {
		if !msgNewKeys[k] {
			out[k] = v
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown keys.
func (m *MsgNew) UnmarshalJSON(b []byte) error {
	type plain MsgNew
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for k := range msgNewKeys {
		delete(all, k)
	}
	if len(all) > 0 {
		p.Extra = all
	}
	*m = MsgNew(p)
	return nil
}
