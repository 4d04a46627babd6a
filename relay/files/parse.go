package files

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"

	"github.com/sxweb/sxweb/relay/filewire"
)

// Routes of the file relay, after its prefix (docs/file-protocol.md §1).
const (
	routeNew       = "/new"
	routeAdd       = "/add/"
	routeChunk     = "/chunk/"
	routeRecipient = "/recipient/"
)

// errParse is a request the relay cannot parse: its path, id or body.
type errParse struct {
	code string // filewire error code
	msg  string
}

func (e *errParse) Error() string { return "files: " + e.msg }

func bad(code, msg string) error { return &errParse{code, msg} }

// parsePath splits the path after the relay's prefix into its route and
// id ("/new" has none). The path is the one as sent (escaped): an id is
// base64url and never needs escaping, so an escape anywhere is refused
// rather than decoded.
func parsePath(rest string) (route string, id []byte, err error) {
	if rest == routeNew {
		return routeNew, nil, nil
	}
	for _, r := range []string{routeAdd, routeChunk, routeRecipient} {
		if s, ok := strings.CutPrefix(rest, r); ok {
			id, err := filewire.ParseID(s)
			if err != nil {
				return "", nil, bad(filewire.ErrBadRequest, "bad id")
			}
			return r, id, nil
		}
	}
	return "", nil, bad(filewire.ErrNotFound, "no such route")
}

// decodeJSON decodes one JSON object into v: nothing after it, no
// unknown field (a client of another version sees BAD_REQUEST, not
// silence).
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the object")
	}
	return nil
}

// parseKeys checks recipient keys: at most a request's worth, each an
// Ed25519 public key.
func parseKeys(keys []filewire.B64, min int) ([][]byte, error) {
	if len(keys) < min || len(keys) > filewire.MaxRecipientsPerRequest {
		return nil, bad(filewire.ErrBadRequest, "recipient keys: at most 1,024 a request, at least one to add")
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			return nil, bad(filewire.ErrBadRequest, "a recipient key is not 32 bytes")
		}
		out[i] = k
	}
	return out, nil
}

// parseNew parses and checks the body of POST /new. A chunk may have no
// recipients yet (they are added later).
func parseNew(b []byte) (NewChunk, error) {
	var req filewire.NewRequest
	if err := decodeJSON(b, &req); err != nil {
		return NewChunk{}, bad(filewire.ErrBadRequest, "body: "+err.Error())
	}
	if len(req.SenderKey) != ed25519.PublicKeySize {
		return NewChunk{}, bad(filewire.ErrBadRequest, "sender key is not 32 bytes")
	}
	if !filewire.IsChunkSize(req.Size) {
		return NewChunk{}, bad(filewire.ErrSize, "not a chunk size")
	}
	keys, err := parseKeys(req.RecipientKeys, 0)
	if err != nil {
		return NewChunk{}, err
	}
	return NewChunk{SenderKey: req.SenderKey, RecipientKeys: keys, Size: req.Size}, nil
}

// parseAdd parses and checks the body of POST /add (one key at least).
func parseAdd(b []byte) ([][]byte, error) {
	var req filewire.AddRequest
	if err := decodeJSON(b, &req); err != nil {
		return nil, bad(filewire.ErrBadRequest, "body: "+err.Error())
	}
	return parseKeys(req.RecipientKeys, 1)
}
