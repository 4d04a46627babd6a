// Package filewire is the wire format of the file relay
// (docs/file-protocol.md §1), shared by the relay (relay/files) and its
// client (core/files), as relay/wire is for the queue relay: request
// signing and checking, ids, chunk sizes, the JSON bodies and the error
// codes. No network, no storage.
//
// Concurrency: pure functions and plain types.
package filewire

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a signed request.
const (
	HeaderDate = "X-Date"
	HeaderAuth = "Authorization"
	authScheme = "SXF "
	context    = "sxweb-files 1\n"
)

// ChunkSizes are the sizes a chunk may have.
var ChunkSizes = []int{64 << 10, 256 << 10, 1 << 20, 4 << 20}

// IsChunkSize reports whether n is a chunk size.
func IsChunkSize(n int) bool {
	for _, s := range ChunkSizes {
		if n == s {
			return true
		}
	}
	return false
}

// Limits of one request.
const (
	MaxRecipientsPerRequest = 1024
	MaxRecipientsPerChunk   = 4096
	MaxClockSkew            = 300 * time.Second
	IDLen                   = 24
)

// Error codes (the "error" of an answer) and their HTTP statuses.
const (
	ErrAuth       = "AUTH"        // 403
	ErrNotFound   = "NOT_FOUND"   // 404
	ErrBadRequest = "BAD_REQUEST" // 400
	ErrSize       = "SIZE"        // 400
	ErrConflict   = "CONFLICT"    // 409
	ErrLarge      = "LARGE"       // 413
	ErrLimit      = "LIMIT"       // 429: retry later
	ErrQuota      = "QUOTA"       // 507: the relay is full, retry later
	ErrInternal   = "INTERNAL"    // 500
)

// Status is the HTTP status of an error code.
func Status(code string) int {
	return map[string]int{ErrAuth: 403, ErrNotFound: 404, ErrBadRequest: 400, ErrSize: 400, ErrConflict: 409,
		ErrLarge: 413, ErrLimit: 429, ErrQuota: 507, ErrInternal: 500}[code]
}

// Retryable reports whether a request that got code may succeed later.
func Retryable(code string) bool { return code == ErrLimit || code == ErrQuota || code == ErrInternal }

// NewRequest is the body of POST /files/new.
type NewRequest struct {
	SenderKey     B64   `json:"senderKey"`
	RecipientKeys []B64 `json:"recipientKeys"`
	Size          int   `json:"size"`
}

// NewResponse answers it.
type NewResponse struct {
	SenderID     B64   `json:"senderId"`
	RecipientIDs []B64 `json:"recipientIds"`
	ExpiresAt    int64 `json:"expiresAt"` // ms since the epoch
}

// AddRequest is the body of POST /files/add/<senderId>.
type AddRequest struct {
	RecipientKeys []B64 `json:"recipientKeys"`
}

// AddResponse answers it.
type AddResponse struct {
	RecipientIDs []B64 `json:"recipientIds"`
}

// ErrorBody is an error answer.
type ErrorBody struct {
	Error string `json:"error"`
}

// B64 is bytes as base64url without padding in JSON and paths.
type B64 []byte

// String is the base64url form.
func (b B64) String() string { return base64.RawURLEncoding.EncodeToString(b) }

// MarshalText implements encoding.TextMarshaler.
func (b B64) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *B64) UnmarshalText(t []byte) error {
	v, err := base64.RawURLEncoding.DecodeString(string(t))
	*b = v
	return err
}

// ParseID decodes an id from a path: exactly its base64url form (the
// decoder alone would skip CR and LF in it).
func ParseID(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != IDLen || base64.RawURLEncoding.EncodeToString(b) != s {
		return nil, errors.New("filewire: bad id")
	}
	return b, nil
}

// signed is the string a request's signature covers (digest: the body's SHA-256).
func signed(method, path, date string, digest [sha256.Size]byte) []byte {
	return []byte(context + method + "\n" + path + "\n" + date + "\n" + hex.EncodeToString(digest[:]))
}

// Sign returns the X-Date and Authorization header values of a request.
func Sign(key ed25519.PrivateKey, method, path string, now time.Time, body []byte) (date, auth string) {
	date = strconv.FormatInt(now.Unix(), 10)
	sig := ed25519.Sign(key, signed(method, path, date, sha256.Sum256(body)))
	return date, authScheme + base64.RawURLEncoding.EncodeToString(sig)
}

// Verify checks a request's signature by pub and its date against now.
func Verify(pub ed25519.PublicKey, method, path, date, auth string, now time.Time, body []byte) bool {
	return VerifyDigest(pub, method, path, date, auth, now, sha256.Sum256(body))
}

// DateOK reports whether an X-Date value is within MaxClockSkew of now
// (a relay checks it before reading a chunk's body).
func DateOK(date string, now time.Time) bool {
	sec, err := strconv.ParseInt(date, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d <= MaxClockSkew && d >= -MaxClockSkew
}

// VerifyDigest is Verify with the SHA-256 of the body given instead of
// the body: a relay hashes a chunk as it streams it to disk.
func VerifyDigest(pub ed25519.PublicKey, method, path, date, auth string, now time.Time, digest [sha256.Size]byte) bool {
	if len(pub) != ed25519.PublicKeySize || !DateOK(date, now) {
		return false
	}
	s, ok := strings.CutPrefix(auth, authScheme)
	if !ok {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(sig) != ed25519.SignatureSize || base64.RawURLEncoding.EncodeToString(sig) != s {
		return false
	}
	return ed25519.Verify(pub, signed(method, path, date, digest), sig)
}
