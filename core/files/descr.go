package files

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// Description is what one recipient needs to download a file: the relay,
// the file's keys and size, and per chunk its size, data length, digest,
// and this recipient's id and key for it (docs/file-protocol.md §3).
type Description struct {
	Relay  string
	Size   int64
	Digest []byte // SHA-256 of the chunks' digests, in order
	Keys   Keys
	Chunks []DescChunk
}

// DescChunk is one chunk in a Description.
type DescChunk struct {
	Size   int
	Len    int
	Digest []byte // SHA-256 of the padded chunk
	ID     []byte // this recipient's id of the chunk
	Key    []byte // this recipient's Ed25519 seed (32 bytes)
}

// ErrBadDescription is a description that does not parse or does not
// add up (a forged or damaged one).
var ErrBadDescription = errors.New("files: bad description")

type descJSON struct {
	V      int         `json:"v"`
	Relay  string      `json:"relay"`
	Size   int64       `json:"size"`
	Digest b64         `json:"digest"`
	Key    b64         `json:"key"`
	Nonce  b64         `json:"nonce"`
	Chunks []chunkJSON `json:"chunks"`
}

type chunkJSON struct {
	Size   int `json:"size"`
	Len    int `json:"len"`
	Digest b64 `json:"digest"`
	ID     b64 `json:"id"`
	RKey   b64 `json:"rkey"`
}

// b64 is base64url without padding in JSON.
type b64 []byte

func (b b64) MarshalJSON() ([]byte, error) {
	return json.Marshal(base64.RawURLEncoding.EncodeToString(b))
}

func (b *b64) UnmarshalJSON(d []byte) error {
	var s string
	if err := json.Unmarshal(d, &s); err != nil {
		return err
	}
	v, err := base64.RawURLEncoding.DecodeString(s)
	*b = v
	return err
}

// Marshal writes the description (version 1).
func (d *Description) Marshal() ([]byte, error) {
	j := descJSON{V: 1, Relay: d.Relay, Size: d.Size, Digest: d.Digest, Key: d.Keys.Key[:], Nonce: d.Keys.Nonce[:]}
	for _, c := range d.Chunks {
		j.Chunks = append(j.Chunks, chunkJSON{Size: c.Size, Len: c.Len, Digest: c.Digest, ID: c.ID, RKey: c.Key})
	}
	return json.Marshal(j)
}

// ParseDescription reads a description and checks that it adds up: its
// version, the relay's URL, the keys' lengths, chunk sizes, data lengths
// that cover the encrypted file exactly, the file digest over the chunk
// digests. It never panics on input (fuzzed).
func ParseDescription(b []byte) (*Description, error) {
	var j descJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadDescription, err)
	}
	bad := func(why string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadDescription, fmt.Sprintf(why, args...))
	}
	switch {
	case j.V != 1:
		return nil, bad("version %d", j.V)
	case len(j.Key) != KeySize || len(j.Nonce) != NonceSize:
		return nil, bad("key or nonce length")
	case j.Size < 0 || len(j.Chunks) == 0 || len(j.Chunks) > MaxChunks:
		return nil, bad("size %d in %d chunks", j.Size, len(j.Chunks))
	}
	if u, err := url.Parse(j.Relay); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, bad("relay %q", j.Relay)
	}
	layout, err := Layout(j.Size)
	if err != nil || len(layout) != len(j.Chunks) {
		return nil, bad("%d chunks for %d bytes", len(j.Chunks), j.Size)
	}
	d := &Description{Relay: j.Relay, Size: j.Size, Digest: j.Digest}
	copy(d.Keys.Key[:], j.Key)
	copy(d.Keys.Nonce[:], j.Nonce)
	for i, c := range j.Chunks {
		if c.Size != layout[i].Size || c.Len != layout[i].Len || len(c.Digest) != sha256.Size || len(c.ID) == 0 || len(c.ID) > 64 || len(c.RKey) != 32 {
			return nil, bad("chunk %d", i+1)
		}
		d.Chunks = append(d.Chunks, DescChunk{Size: c.Size, Len: c.Len, Digest: c.Digest, ID: c.ID, Key: c.RKey})
	}
	if want := FileDigest(d.Chunks); string(want) != string(d.Digest) {
		return nil, bad("file digest")
	}
	return d, nil
}

// FileDigest is the file digest over its chunks' digests.
func FileDigest(chunks []DescChunk) []byte {
	h := sha256.New()
	for _, c := range chunks {
		h.Write(c.Digest)
	}
	return h.Sum(nil)
}
