// Package fakefiles is an in-memory file relay (speaking the file
// protocol through core/files' HTTP interface, signatures checked, a
// chunk gone with its sender's delete or its last recipient's) and an
// in-memory chat.FileStore, for fast unit tests of file transfer. The real
// relay is relay/files; internal/filesuite is its full behaviour.
//
// Concurrency: safe for concurrent use.
package fakefiles

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
)

// Relay is an in-memory file relay at any URL.
type Relay struct {
	mu     sync.Mutex
	chunks map[string]*chunk // by sender id
	recips map[string]*chunk // by recipient id
	keys   map[string][]byte // id → public key
	stored int64
	tamper func([]byte) []byte
}

// Stored is how many uploaded bytes the relay keeps.
func (r *Relay) Stored() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stored
}

// SetTamper makes f change a chunk's bytes as they are downloaded (nil: no more).
func (r *Relay) SetTamper(f func([]byte) []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tamper = f
}

type chunk struct {
	size   int
	data   []byte
	sender string          // its sender id
	rids   map[string]bool // its recipients not done yet
}

// NewRelay returns an empty relay.
func NewRelay() *Relay {
	return &Relay{chunks: map[string]*chunk{}, recips: map[string]*chunk{}, keys: map[string][]byte{}}
}

func newID() []byte {
	b := make([]byte, filewire.IDLen)
	rand.Read(b)
	return b
}

// Do implements files.HTTP.
func (r *Relay) Do(_ context.Context, method, rawURL string, h map[string]string, body []byte) (int, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0, nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := u.EscapedPath()
	i := strings.Index(p, "/files/")
	if i < 0 {
		return 404, errBody(filewire.ErrNotFound), nil
	}
	route, id := p[i+len("/files"):], ""
	for _, pre := range []string{"/add/", "/chunk/", "/recipient/"} {
		if rest, ok := strings.CutPrefix(route, pre); ok {
			route, id = pre, rest
		}
	}
	key := func(id string) []byte { return r.keys[id] }
	check := func(pub []byte) bool {
		return filewire.Verify(pub, method, p, h[filewire.HeaderDate], h[filewire.HeaderAuth], time.Now(), body)
	}
	switch method + " " + route {
	case "POST /new":
		var req filewire.NewRequest
		if json.Unmarshal(body, &req) != nil || !filewire.IsChunkSize(req.Size) {
			return 400, errBody(filewire.ErrSize), nil
		}
		if !check(req.SenderKey) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		sid := filewire.B64(newID())
		c := &chunk{size: req.Size, sender: sid.String(), rids: map[string]bool{}}
		r.chunks[sid.String()], r.keys[sid.String()] = c, req.SenderKey
		resp := filewire.NewResponse{SenderID: sid, ExpiresAt: time.Now().Add(48 * time.Hour).UnixMilli()}
		for _, k := range req.RecipientKeys {
			rid := filewire.B64(newID())
			r.recips[rid.String()], r.keys[rid.String()], c.rids[rid.String()] = c, k, true
			resp.RecipientIDs = append(resp.RecipientIDs, rid)
		}
		b, _ := json.Marshal(resp)
		return 201, b, nil
	case "POST /add/":
		c := r.chunks[id]
		var req filewire.AddRequest
		if c == nil || !check(key(id)) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		if json.Unmarshal(body, &req) != nil || len(req.RecipientKeys) == 0 {
			return 400, errBody(filewire.ErrBadRequest), nil
		}
		var resp filewire.AddResponse
		for _, k := range req.RecipientKeys {
			rid := filewire.B64(newID())
			r.recips[rid.String()], r.keys[rid.String()], c.rids[rid.String()] = c, k, true
			resp.RecipientIDs = append(resp.RecipientIDs, rid)
		}
		b, _ := json.Marshal(resp)
		return 200, b, nil
	case "PUT /chunk/":
		c := r.chunks[id]
		if c == nil || !check(key(id)) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		if len(body) != c.size {
			return 400, errBody(filewire.ErrSize), nil
		}
		if c.data == nil {
			r.stored += int64(len(body))
		}
		c.data = append([]byte(nil), body...)
		return 204, nil, nil
	case "GET /chunk/":
		c := r.recips[id]
		if c == nil || !check(key(id)) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		if c.data == nil {
			return 404, errBody(filewire.ErrNotFound), nil
		}
		out := append([]byte(nil), c.data...)
		if r.tamper != nil {
			out = r.tamper(out)
		}
		return 200, out, nil
	case "DELETE /recipient/":
		c := r.recips[id]
		if c == nil || !check(key(id)) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		delete(r.recips, id)
		delete(c.rids, id)
		if len(c.rids) == 0 { // the last recipient is done: the chunk goes
			r.drop(c)
		}
		return 204, nil, nil
	case "DELETE /chunk/":
		c := r.chunks[id]
		if c == nil || !check(key(id)) {
			return 403, errBody(filewire.ErrAuth), nil
		}
		r.drop(c)
		return 204, nil, nil
	}
	return 400, errBody(filewire.ErrBadRequest), nil
}

// drop deletes a chunk and its recipient ids (r.mu held).
func (r *Relay) drop(c *chunk) {
	r.stored -= int64(len(c.data))
	delete(r.chunks, c.sender)
	for rid := range c.rids {
		delete(r.recips, rid)
	}
}

func errBody(code string) []byte {
	b, _ := json.Marshal(filewire.ErrorBody{Error: code})
	return b
}

// Store is an in-memory chat.FileStore.
type Store struct {
	mu    sync.Mutex
	files map[string]map[int][]byte
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{files: map[string]map[int][]byte{}} }

// Put stores a file to send (its only part).
func (s *Store) Put(id string, data []byte) { _ = s.WritePart(context.Background(), id, 0, data) }

// WritePart implements chat.FileStore.
func (s *Store) WritePart(_ context.Context, id string, n int, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files[id] == nil {
		s.files[id] = map[int][]byte{}
	}
	s.files[id][n] = append([]byte(nil), data...)
	return nil
}

// Bytes returns a file's parts joined.
func (s *Store) Bytes(id string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []byte
	for i := 0; i < len(s.files[id]); i++ {
		out = append(out, s.files[id][i]...)
	}
	return out
}

// ReadAt implements chat.FileStore.
func (s *Store) ReadAt(_ context.Context, id string, p []byte, off int64) (int, error) {
	b := s.Bytes(id)
	if off > int64(len(b)) {
		return 0, fmt.Errorf("fakefiles: offset %d beyond %d", off, len(b))
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Delete implements chat.FileStore.
func (s *Store) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, id)
	return nil
}

// Has reports whether any part of a file is stored.
func (s *Store) Has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files[id]) > 0
}
