package proto

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Chat protocol versions this project speaks: 2 is the first that accepts
// introductions without directConnReq and understands x.grp.direct.inv,
// 3 adds group links (x.grp.link.inv), 4 x.grp.mem.con and forwarding,
// 5 batches.
const (
	MinVersion = 2
	MaxVersion = 5
)

// Current is this project's chat version range.
var Current = VersionRange{Min: MinVersion, Max: MaxVersion}

// VersionRange is a chat-version range, "min-max" or "n" in JSON. The zero
// value means "absent" (which peers read as version 1).
type VersionRange struct{ Min, Max int }

// IsZero reports whether the range is absent.
func (v VersionRange) IsZero() bool { return v.Min == 0 && v.Max == 0 }

// OrOne returns v, or 1-1 when v is absent.
func (v VersionRange) OrOne() VersionRange {
	if v.IsZero() {
		return VersionRange{1, 1}
	}
	return v
}

// Compatible returns the version both sides use, min(localMax, peerMax),
// and whether the ranges overlap.
func (v VersionRange) Compatible(peer VersionRange) (int, bool) {
	p := peer.OrOne()
	if p.Max < v.Min || v.Max < p.Min {
		return 0, false
	}
	return min(v.Max, p.Max), true
}

func (v VersionRange) String() string {
	if v.Min == v.Max {
		return strconv.Itoa(v.Min)
	}
	return fmt.Sprintf("%d-%d", v.Min, v.Max)
}

// MarshalJSON implements json.Marshaler.
func (v VersionRange) MarshalJSON() ([]byte, error) { return json.Marshal(v.String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (v *VersionRange) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	lo, hi, found := strings.Cut(s, "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 1 {
		return fmt.Errorf("bad version range %q", s)
	}
	c := a
	if found {
		if c, err = strconv.Atoi(hi); err != nil || c < a {
			return fmt.Errorf("bad version range %q", s)
		}
	}
	*v = VersionRange{Min: a, Max: c}
	return nil
}

// Bytes are opaque ids (msgId, memberId, probes): base64url with padding in JSON.
type Bytes []byte

// MarshalJSON implements json.Marshaler.
func (b Bytes) MarshalJSON() ([]byte, error) {
	return json.Marshal(base64.URLEncoding.EncodeToString(b))
}

var toURLAlphabet = strings.NewReplacer("+", "-", "/", "_")

// UnmarshalJSON implements json.Unmarshaler. Standard base64 ('+', '/') is
// accepted too, as are missing pads.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	s = toURLAlphabet.Replace(strings.TrimRight(s, "="))
	d, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("bad base64url id: %w", err)
	}
	*b = d
	return nil
}

// String is the base64url-with-padding form, usable as a map key.
func (b Bytes) String() string { return base64.URLEncoding.EncodeToString(b) }

// ParseBytes decodes the base64url form.
func ParseBytes(s string) (Bytes, error) {
	var b Bytes
	raw, _ := json.Marshal(s)
	err := b.UnmarshalJSON(raw)
	return b, err
}

// Role is a member role. Unknown strings are kept as given and rank below
// every known role.
type Role string

// Roles, lowest first.
const (
	RoleObserver  Role = "observer"
	RoleAuthor    Role = "author"
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
	RoleOwner     Role = "owner"
)

var roleRank = map[Role]int{RoleObserver: 1, RoleAuthor: 2, RoleMember: 3, RoleModerator: 4, RoleAdmin: 5, RoleOwner: 6}

// Rank orders roles: observer 1 ... owner 6; an unknown role is 0.
func (r Role) Rank() int { return roleRank[r] }

// Known reports whether r is one of the six roles.
func (r Role) Known() bool { return r.Rank() > 0 }

// AtLeast reports whether r is known and not below o.
func (r Role) AtLeast(o Role) bool { return r.Known() && r.Rank() >= o.Rank() }

// MemberIDRole is the MemberIdRole shape.
type MemberIDRole struct {
	MemberID   Bytes `json:"memberId"`
	MemberRole Role  `json:"memberRole"`
}

// Profile is a user profile. In groups, contactLink and preferences are left out.
type Profile struct {
	DisplayName string          `json:"displayName"`
	FullName    string          `json:"fullName"`
	Image       string          `json:"image,omitempty"`
	ContactLink string          `json:"contactLink,omitempty"`
	Preferences json.RawMessage `json:"preferences,omitempty"`
}

// MemberInfo is a member as its host describes it.
type MemberInfo struct {
	MemberID   Bytes        `json:"memberId"`
	MemberRole Role         `json:"memberRole"`
	V          VersionRange `json:"v,omitzero"`
	Profile    Profile      `json:"profile"`
}

// IntroInvitation carries the new member's connection request(s) for one
// existing member. DirectConnReq is present only when the group's opt-in
// direct-connections rule allows it.
type IntroInvitation struct {
	GroupConnReq  string `json:"groupConnReq"`
	DirectConnReq string `json:"directConnReq,omitempty"`
}

// MsgContent is message content. Only "text" is produced here; other types
// are decoded with their type and text and everything else kept in Extra.
type MsgContent struct {
	Type  string                     `json:"type"`
	Text  string                     `json:"text"`
	Extra map[string]json.RawMessage `json:"-"`
}

// Text returns a text MsgContent.
func Text(s string) *MsgContent { return &MsgContent{Type: "text", Text: s} }

// MarshalJSON implements json.Marshaler, writing Extra keys too.
func (c MsgContent) MarshalJSON() ([]byte, error) {
	m := map[string]any{"type": c.Type, "text": c.Text}
	for k, v := range c.Extra {
		if k != "type" && k != "text" {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *MsgContent) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	out := MsgContent{}
	if err := json.Unmarshal(orNull(m["type"]), &out.Type); err != nil {
		return err
	}
	if err := json.Unmarshal(orNull(m["text"]), &out.Text); err != nil {
		return err
	}
	delete(m, "type")
	delete(m, "text")
	if len(m) > 0 {
		out.Extra = m
	}
	*c = out
	return nil
}

func orNull(b json.RawMessage) []byte {
	if b == nil {
		return []byte("null")
	}
	return b
}

// Equal compares ids.
func (b Bytes) Equal(o Bytes) bool { return string(b) == string(o) }
