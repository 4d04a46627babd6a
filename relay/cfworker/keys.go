package cfworker

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// RouteLen is the length of a queue's route: the name of its Durable Object.
const RouteLen = 16

// Route names the Durable Object that holds one queue.
type Route [RouteLen]byte

// String is the Durable Object name of the route.
func (r Route) String() string { return hex.EncodeToString(r[:]) }

// NewRoute returns a fresh random route (for a NEW).
func NewRoute() Route {
	var r Route
	rand.Read(r[:])
	return r
}

// httpTokenTTL is how long an HTTP session id (from a plain GET) is valid.
const httpTokenTTL = time.Hour

// Keys are the relay's secrets, all derived from its long-term X25519
// auth key.
type Keys struct {
	Auth     []byte // X25519 private key (32 bytes)
	AuthPub  []byte
	routeKey []byte // hides the route inside queue ids
	tokenKey []byte // signs HTTP session tokens (same derivation as package relay)
}

// NewKeys derives the relay's keys from its auth private key.
func NewKeys(auth []byte) (*Keys, error) {
	pub, err := wire.PublicKey(auth)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	rk, err := hkdf.Key(sha256.New, auth, nil, "sxweb relay cf route", 32)
	if err != nil {
		return nil, err
	}
	tk, err := hkdf.Key(sha256.New, auth, nil, "sxweb relay http session", 32)
	if err != nil {
		return nil, err
	}
	return &Keys{Auth: auth, AuthPub: pub, routeKey: rk, tokenKey: tk}, nil
}

// FilesKeys returns the keys of the file relay's chunk ids: the same
// scheme as queue ids (NewID, RouteOf) under a route key of their own,
// so a queue id never names a chunk's object nor the other way round.
func (k *Keys) FilesKeys() *Keys {
	rk, _ := hkdf.Key(sha256.New, k.Auth, nil, "sxweb relay cf files route", 32)
	return &Keys{Auth: k.Auth, AuthPub: k.AuthPub, routeKey: rk, tokenKey: k.tokenKey}
}

// ParseKeys reads the auth key as 64 hex digits.
func ParseKeys(hexKey string) (*Keys, error) {
	b, err := hex.DecodeString(hexKey)
	if err != nil || len(b) != wire.KeyLen {
		return nil, ErrBadKey
	}
	return NewKeys(b)
}

// An id is nonce (8 random bytes) ‖ route XOR HMAC(routeKey, nonce)[:16]:
// the recipient and sender ids of a queue decode to the same route but
// look unrelated to anyone without the relay's key.
const idNonceLen = wire.IDLen - RouteLen

// NewID returns a fresh queue id that decodes to r.
func (k *Keys) NewID(r Route) []byte {
	id := make([]byte, wire.IDLen)
	rand.Read(id[:idNonceLen])
	pad := k.pad(id[:idNonceLen])
	for i := range RouteLen {
		id[idNonceLen+i] = r[i] ^ pad[i]
	}
	return id
}

// RouteOf returns the route an id decodes to. Any 24 bytes decode to some
// route; an id the relay never issued leads to an empty queue (AUTH).
func (k *Keys) RouteOf(id []byte) (Route, bool) {
	var r Route
	if len(id) != wire.IDLen {
		return r, false
	}
	pad := k.pad(id[:idNonceLen])
	for i := range RouteLen {
		r[i] = id[idNonceLen+i] ^ pad[i]
	}
	return r, true
}

func (k *Keys) pad(nonce []byte) []byte {
	m := hmac.New(sha256.New, k.routeKey)
	m.Write(nonce)
	return m.Sum(nil)
}

// NewToken returns an HTTP session id: expiry (8 bytes, unix seconds) ‖
// 8 random bytes ‖ HMAC-SHA256(tokenKey, the first 16)[:16], as package
// relay makes them.
func (k *Keys) NewToken(now time.Time) [wire.SessionIDLen]byte {
	var t [wire.SessionIDLen]byte
	binary.BigEndian.PutUint64(t[:], uint64(now.Add(httpTokenTTL).Unix()))
	rand.Read(t[8:16])
	m := hmac.New(sha256.New, k.tokenKey)
	m.Write(t[:16])
	copy(t[16:], m.Sum(nil))
	return t
}

// ValidToken reports whether t is an unexpired token of this relay.
func (k *Keys) ValidToken(t []byte, now time.Time) bool {
	if len(t) != wire.SessionIDLen {
		return false
	}
	m := hmac.New(sha256.New, k.tokenKey)
	m.Write(t[:16])
	if !hmac.Equal(m.Sum(nil)[:16], t[16:]) {
		return false
	}
	return int64(binary.BigEndian.Uint64(t)) > now.Unix()
}

// Hello returns the server hello frame for a session id.
func (k *Keys) Hello(sid [wire.SessionIDLen]byte) []byte {
	h := wire.ServerHello{MinVersion: wire.MinVersion, MaxVersion: wire.MaxVersion, SessionID: sid}
	copy(h.AuthKey[:], k.AuthPub)
	return h.Append(nil)
}
