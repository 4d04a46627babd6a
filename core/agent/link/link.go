package link

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net/url"
	"strings"
)

// Kind is what the link connects to.
type Kind byte

const (
	// Invitation is a one-time invitation: the first joiner secures the queue.
	Invitation Kind = 1
	// Contact is a long-lived contact address (also a group link): every
	// join sends a connection request.
	Contact Kind = 2
)

func (k Kind) String() string {
	switch k {
	case Invitation:
		return "invitation"
	case Contact:
		return "contact"
	}
	return "unknown"
}

// Version is the payload version this package writes and accepts.
const Version = 1

// Limits of the payload fields.
const (
	SenderIDLen   = 24
	KeyLen        = 32
	MaxServerLen  = 255
	MaxInvKeysLen = 4096
)

// DefaultBase is the app URL used when Format gets an empty base.
const DefaultBase = "https://sxweb.app/"

// Link is the decoded content of a connection link.
type Link struct {
	Kind     Kind
	Server   string // relay URL (ws, wss, http or https)
	SenderID []byte // 24 bytes
	E2EKey   []byte // 32-byte X25519 public key of the queue's recipient
	InvKeys  []byte // ratchet invitation keys; set for Invitation only
}

// Encode returns the compact binary payload of l.
func (l *Link) Encode() ([]byte, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte(Version)
	b.WriteByte(byte(l.Kind))
	b.WriteByte(byte(len(l.Server)))
	b.WriteString(l.Server)
	b.Write(l.SenderID)
	b.Write(l.E2EKey)
	if l.Kind == Invitation {
		var n [2]byte
		binary.BigEndian.PutUint16(n[:], uint16(len(l.InvKeys)))
		b.Write(n[:])
		b.Write(l.InvKeys)
	}
	return b.Bytes(), nil
}

// Decode parses a binary payload written by Encode. It accepts exactly
// the canonical encoding: Encode(Decode(p)) == p.
func Decode(p []byte) (*Link, error) {
	r := reader{b: p}
	v, k := r.byte(), Kind(r.byte())
	if r.err != nil {
		return nil, bad("payload too short")
	}
	if v != Version {
		return nil, bad("unsupported version %d", v)
	}
	l := &Link{Kind: k}
	l.Server = string(r.bytes(int(r.byte())))
	l.SenderID = r.bytes(SenderIDLen)
	l.E2EKey = r.bytes(KeyLen)
	if k == Invitation {
		l.InvKeys = r.bytes(int(r.uint16()))
	}
	if r.err != nil {
		return nil, bad("payload truncated")
	}
	if len(r.b) != 0 {
		return nil, bad("%d trailing bytes", len(r.b))
	}
	if err := l.validate(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Link) validate() error {
	switch l.Kind {
	case Invitation:
		if len(l.InvKeys) == 0 || len(l.InvKeys) > MaxInvKeysLen {
			return bad("invitation keys: bad length %d", len(l.InvKeys))
		}
	case Contact:
		if len(l.InvKeys) != 0 {
			return bad("contact address carries invitation keys")
		}
	default:
		return bad("unknown kind %d", l.Kind)
	}
	if len(l.SenderID) != SenderIDLen {
		return bad("sender id: %d bytes", len(l.SenderID))
	}
	if len(l.E2EKey) != KeyLen {
		return bad("e2e key: %d bytes", len(l.E2EKey))
	}
	return validServer(l.Server)
}

func validServer(s string) error {
	if s == "" || len(s) > MaxServerLen {
		return bad("relay url: bad length %d", len(s))
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("relay url: %v", err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return bad("relay url: scheme %q", u.Scheme)
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" || u.String() != s {
		return bad("relay url: not a plain absolute URL")
	}
	return nil
}

// Format returns the link as a URL under base (DefaultBase if empty):
// base + "#/join/" + base64url(payload).
func (l *Link) Format(base string) (string, error) {
	p, err := l.Encode()
	if err != nil {
		return "", err
	}
	if base == "" {
		base = DefaultBase
	}
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base = base[:i]
	}
	return base + "#/join/" + base64.RawURLEncoding.EncodeToString(p), nil
}

// Parse accepts a link URL of any app base (http, https or an app scheme
// such as "sxweb:"): only the fragment "/join/<payload>" is read.
func Parse(s string) (*Link, error) {
	if len(s) > 16384 {
		return nil, bad("link too long")
	}
	i := strings.IndexByte(s, '#')
	if i < 0 {
		return nil, bad("no fragment")
	}
	if _, err := url.Parse(s[:i]); err != nil || i == 0 {
		return nil, bad("bad base URL")
	}
	frag, ok := strings.CutPrefix(s[i+1:], "/join/")
	if !ok {
		return nil, bad("fragment is not /join/<payload>")
	}
	p, err := base64.RawURLEncoding.Strict().DecodeString(frag)
	if err != nil {
		return nil, bad("payload: not base64url")
	}
	return Decode(p)
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = errShort
		return nil
	}
	out := append([]byte{}, r.b[:n]...)
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) uint16() uint16 {
	b := r.bytes(2)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint16(b)
}

var errShort = bad("short")
