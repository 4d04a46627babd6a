package cfworker

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"slices"
)

// The file relay on the Worker (docs/cloudflare.md, "Files"): each chunk
// is a Durable Object (ChunkDO) named by a route its ids encode, as a
// queue's are; its record and recipients' keys are in the object's
// storage, its bytes in R2 under a random name. ChunkCmd is what the
// object runs, one at a time, so every change of a chunk is atomic;
// FileStore (files_store.go) is relay/files' Store made of calls to it.

// ChunkKV is one chunk's storage (its Durable Object's).
type ChunkKV interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Write(ctx context.Context, put []Entry, del []string) error
	DeleteAll(ctx context.Context) error
	SetAlarm(ctx context.Context, atMillis int64) error
}

// Blobs is where chunk bytes are (R2).
type Blobs interface {
	Put(ctx context.Context, name string, b []byte) error
	// Get returns a blob's bytes to stream and its length (ErrNoBlob).
	Get(ctx context.Context, name string) (io.ReadCloser, int64, error)
	Delete(ctx context.Context, names []string) error
}

// ErrNoBlob: a blob is not in the bucket.
var ErrNoBlob = errors.New("cfworker: no such blob")

// Chunk commands (ChunkReq.Op).
const (
	OpNew       = "new"
	OpSender    = "sender"    // look up by sender id
	OpRecipient = "recipient" // look up by recipient id
	OpAdd       = "add"
	OpStage     = "stage"  // a blob is about to be written for the chunk
	OpCommit    = "commit" // ... and was: it is the chunk's bytes
	OpAck       = "ack"
	OpDelete    = "delete"
	OpExpire    = "expire" // the object's alarm
)

// Refusals in ChunkResp.Err.
const (
	RespNotFound = "not_found"
	RespFull     = "full"
	RespConflict = "conflict"
	RespSame     = "same" // a commit of the bytes the chunk has already
)

// ChunkReq is one command to a chunk's object.
type ChunkReq struct {
	Op      string   `json:"op"`
	ID      []byte   `json:"id,omitempty"` // sender or recipient id
	Key     []byte   `json:"key,omitempty"`
	Size    int      `json:"size,omitempty"`
	Expires int64    `json:"exp,omitempty"` // ms
	IDs     [][]byte `json:"ids,omitempty"` // new recipient ids
	Keys    [][]byte `json:"keys,omitempty"`
	Max     int      `json:"max,omitempty"`
	Name    string   `json:"name,omitempty"`
	Digest  []byte   `json:"digest,omitempty"`
	Now     int64    `json:"now,omitempty"` // ms, for expire
}

// ChunkResp answers it.
type ChunkResp struct {
	Err   string      `json:"err,omitempty"`
	Chunk *ChunkState `json:"chunk,omitempty"`
	Key   []byte      `json:"key,omitempty"` // a recipient's
	Gone  bool        `json:"gone,omitempty"`
}

// ChunkState is a chunk's record in its object.
type ChunkState struct {
	SenderID   []byte   `json:"sid"`
	SenderKey  []byte   `json:"key"`
	Size       int      `json:"size"`
	Expires    int64    `json:"exp"`
	Uploaded   bool     `json:"up,omitempty"`
	Digest     []byte   `json:"digest,omitempty"`
	Name       string   `json:"name,omitempty"`   // its blob
	Staged     []string `json:"staged,omitempty"` // blobs being written: deleted with the chunk
	Recipients int      `json:"n"`
}

const (
	keyChunk     = "c"
	keyRecipient = "r" // + hex(recipient id)
)

// ChunkCmd runs one command on a chunk's storage and blobs. Its caller
// (the chunk's object) runs one at a time.
func ChunkCmd(ctx context.Context, kv ChunkKV, blobs Blobs, req ChunkReq) (ChunkResp, error) {
	c, err := loadChunk(ctx, kv)
	if err != nil {
		return ChunkResp{}, err
	}
	if req.Op == OpNew {
		return newChunk(ctx, kv, c, req)
	}
	if req.Op == OpExpire {
		return ChunkResp{}, expireChunk(ctx, kv, blobs, c, req.Now)
	}
	if c == nil {
		return ChunkResp{Err: RespNotFound}, nil
	}
	var rkey []byte
	switch req.Op {
	case OpRecipient, OpAck:
		if rkey, err = kv.Get(ctx, keyRecipient+hex.EncodeToString(req.ID)); err != nil || rkey == nil {
			return ChunkResp{Err: RespNotFound}, err
		}
	default:
		if !bytes.Equal(req.ID, c.SenderID) {
			return ChunkResp{Err: RespNotFound}, nil
		}
	}
	switch req.Op {
	case OpSender:
		return ChunkResp{Chunk: c}, nil
	case OpRecipient:
		return ChunkResp{Chunk: c, Key: rkey}, nil
	case OpAdd:
		if c.Recipients+len(req.Keys) > req.Max {
			return ChunkResp{Err: RespFull}, nil
		}
		c.Recipients += len(req.Keys)
		return ChunkResp{}, writeChunk(ctx, kv, c, recipients(req.IDs, req.Keys), nil)
	case OpStage:
		c.Staged = append(c.Staged, req.Name)
		return ChunkResp{}, writeChunk(ctx, kv, c, nil, nil)
	case OpCommit:
		return commitChunk(ctx, kv, c, req)
	case OpAck:
		if c.Recipients--; c.Recipients > 0 {
			return ChunkResp{}, writeChunk(ctx, kv, c, nil, []string{keyRecipient + hex.EncodeToString(req.ID)})
		}
		return ChunkResp{Gone: true}, deleteChunk(ctx, kv, blobs, c)
	case OpDelete:
		return ChunkResp{Gone: true}, deleteChunk(ctx, kv, blobs, c)
	}
	return ChunkResp{}, ErrBadRequest
}

func loadChunk(ctx context.Context, kv ChunkKV) (*ChunkState, error) {
	b, err := kv.Get(ctx, keyChunk)
	if err != nil || b == nil {
		return nil, err
	}
	var c ChunkState
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, ErrCorrupt
	}
	return &c, nil
}

func writeChunk(ctx context.Context, kv ChunkKV, c *ChunkState, put []Entry, del []string) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return kv.Write(ctx, append(put, Entry{Key: keyChunk, Value: b}), del)
}

func recipients(ids, keys [][]byte) []Entry {
	out := make([]Entry, 0, len(ids))
	for i, id := range ids {
		out = append(out, Entry{Key: keyRecipient + hex.EncodeToString(id), Value: keys[i]})
	}
	return out
}

func newChunk(ctx context.Context, kv ChunkKV, c *ChunkState, req ChunkReq) (ChunkResp, error) {
	if c != nil || len(req.IDs) != len(req.Keys) {
		return ChunkResp{}, ErrBadRequest // a route taken (2^-128), or a malformed request
	}
	c = &ChunkState{SenderID: req.ID, SenderKey: req.Key, Size: req.Size, Expires: req.Expires, Recipients: len(req.Keys)}
	if err := writeChunk(ctx, kv, c, recipients(req.IDs, req.Keys), nil); err != nil {
		return ChunkResp{}, err
	}
	return ChunkResp{}, kv.SetAlarm(ctx, req.Expires)
}

// commitChunk makes a written blob the chunk's bytes, unless it has bytes
// already: then the caller deletes its blob (same or conflict).
func commitChunk(ctx context.Context, kv ChunkKV, c *ChunkState, req ChunkReq) (ChunkResp, error) {
	c.Staged = slices.DeleteFunc(c.Staged, func(n string) bool { return n == req.Name })
	resp := ChunkResp{}
	switch {
	case c.Uploaded && bytes.Equal(c.Digest, req.Digest):
		resp.Err = RespSame
	case c.Uploaded:
		resp.Err = RespConflict
	default:
		c.Uploaded, c.Digest, c.Name = true, req.Digest, req.Name
	}
	return resp, writeChunk(ctx, kv, c, nil, nil)
}

// deleteChunk deletes the chunk's blobs, then its storage: a failure
// between leaves the record, and the alarm tries again.
func deleteChunk(ctx context.Context, kv ChunkKV, blobs Blobs, c *ChunkState) error {
	names := slices.Clone(c.Staged)
	if c.Name != "" {
		names = append(names, c.Name)
	}
	if len(names) > 0 {
		if err := blobs.Delete(ctx, names); err != nil {
			return err
		}
	}
	return kv.DeleteAll(ctx)
}

// expireChunk runs when the object's alarm rings: the chunk goes if it
// has expired; an object without a chunk is emptied.
func expireChunk(ctx context.Context, kv ChunkKV, blobs Blobs, c *ChunkState, now int64) error {
	switch {
	case c == nil:
		return kv.DeleteAll(ctx)
	case now >= c.Expires:
		return deleteChunk(ctx, kv, blobs, c)
	default:
		return kv.SetAlarm(ctx, c.Expires)
	}
}
