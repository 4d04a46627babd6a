package cfworker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sxweb/sxweb/relay/files"
)

// ChunkCaller sends one command to the object of a chunk's route and
// returns its answer (ChunkDO.op natively on the Worker; a direct call in
// tests).
type ChunkCaller func(ctx context.Context, route Route, req []byte) ([]byte, error)

// FileStore is relay/files' Store on the Worker: each chunk in the
// Durable Object its ids route to, its bytes in Blobs. Chunks expire by
// their object's alarm, so Expire does nothing; the bytes stored are not
// known (Stored is 0: R2's own metrics have them).
type FileStore struct {
	Keys  *Keys // FilesKeys: the routes inside chunk ids
	Call  ChunkCaller
	Blobs Blobs
	// Redirect: Open returns the blob's name for the platform to stream
	// (files.Redirector, header BlobHeader) instead of its bytes.
	Redirect bool
}

// BlobHeader names the blob a download's answer is to stream (the
// Worker's JS replaces the answer's body with the R2 object and removes
// the header).
const BlobHeader = "X-Sxweb-Blob"

// blobRef is a chunk's bytes left for the platform to stream.
type blobRef struct{ name string }

func (b blobRef) Redirect(h http.Header)   { h.Set(BlobHeader, b.name) }
func (b blobRef) Read([]byte) (int, error) { return 0, io.EOF }
func (b blobRef) Close() error             { return nil }

var _ files.Store = (*FileStore)(nil)

func (s *FileStore) call(ctx context.Context, id []byte, req ChunkReq) (ChunkResp, error) {
	route, ok := s.Keys.RouteOf(id)
	if !ok {
		return ChunkResp{}, files.ErrNotFound
	}
	return s.callRoute(ctx, route, req)
}

func (s *FileStore) callRoute(ctx context.Context, route Route, req ChunkReq) (ChunkResp, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return ChunkResp{}, err
	}
	out, err := s.Call(ctx, route, b)
	if err != nil {
		return ChunkResp{}, err
	}
	var resp ChunkResp
	if err := json.Unmarshal(out, &resp); err != nil {
		return ChunkResp{}, fmt.Errorf("cfworker: chunk object's answer: %w", err)
	}
	if resp.Err == RespNotFound {
		return resp, files.ErrNotFound
	}
	return resp, nil
}

func (c *ChunkState) chunk() files.Chunk {
	return files.Chunk{SenderID: c.SenderID, SenderKey: c.SenderKey, Size: c.Size, Expires: time.UnixMilli(c.Expires),
		Uploaded: c.Uploaded, Digest: c.Digest, Recipients: c.Recipients}
}

// Create implements files.Store: a fresh route, ids that encode it.
func (s *FileStore) Create(ctx context.Context, c files.NewChunk) ([]byte, [][]byte, error) {
	route := NewRoute()
	sid := s.Keys.NewID(route)
	rids := make([][]byte, len(c.RecipientKeys))
	for i := range rids {
		rids[i] = s.Keys.NewID(route)
	}
	_, err := s.callRoute(ctx, route, ChunkReq{Op: OpNew, ID: sid, Key: c.SenderKey, Size: c.Size,
		Expires: c.Expires.UnixMilli(), IDs: rids, Keys: c.RecipientKeys})
	if err != nil {
		return nil, nil, err
	}
	return sid, rids, nil
}

// BySender implements files.Store.
func (s *FileStore) BySender(ctx context.Context, sid []byte) (files.Chunk, error) {
	resp, err := s.call(ctx, sid, ChunkReq{Op: OpSender, ID: sid})
	if err != nil {
		return files.Chunk{}, err
	}
	return resp.Chunk.chunk(), nil
}

// ByRecipient implements files.Store.
func (s *FileStore) ByRecipient(ctx context.Context, rid []byte) (files.Chunk, []byte, error) {
	resp, err := s.call(ctx, rid, ChunkReq{Op: OpRecipient, ID: rid})
	if err != nil {
		return files.Chunk{}, nil, err
	}
	return resp.Chunk.chunk(), resp.Key, nil
}

// AddRecipients implements files.Store.
func (s *FileStore) AddRecipients(ctx context.Context, sid []byte, keys [][]byte, max int) ([][]byte, error) {
	route, ok := s.Keys.RouteOf(sid)
	if !ok {
		return nil, files.ErrNotFound
	}
	rids := make([][]byte, len(keys))
	for i := range rids {
		rids[i] = s.Keys.NewID(route)
	}
	resp, err := s.callRoute(ctx, route, ChunkReq{Op: OpAdd, ID: sid, IDs: rids, Keys: keys, Max: max})
	if err != nil {
		return nil, err
	}
	if resp.Err == RespFull {
		return nil, files.ErrFull
	}
	return rids, nil
}

// Put implements files.Store: the body is read whole (a chunk is at most
// 4 MiB) and checked, its blob name staged in the chunk's object (so
// the chunk's deletion or expiry removes the blob whatever happens
// next), the blob written, then committed as the chunk's bytes. Until
// the commit nothing of it is visible.
func (s *FileStore) Put(ctx context.Context, sid []byte, body io.Reader, check func([32]byte) error) error {
	c, err := s.BySender(ctx, sid)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(c.Size)
	d, err := files.ReadExactly(&buf, body, c.Size)
	if err != nil {
		return err
	}
	if err := check(d); err != nil {
		return err
	}
	if c.Uploaded {
		if !bytes.Equal(c.Digest, d[:]) {
			return files.ErrConflict
		}
		return nil
	}
	var n [16]byte
	rand.Read(n[:])
	name := hex.EncodeToString(n[:])
	if _, err := s.call(ctx, sid, ChunkReq{Op: OpStage, ID: sid, Name: name}); err != nil {
		return err
	}
	if err := s.Blobs.Put(ctx, name, buf.Bytes()); err != nil {
		return err
	}
	resp, err := s.call(ctx, sid, ChunkReq{Op: OpCommit, ID: sid, Name: name, Digest: d[:]})
	if err != nil || resp.Err != "" {
		s.Blobs.Delete(ctx, []string{name}) // not the chunk's: another upload came first, or the chunk went
	}
	switch {
	case err != nil:
		return err
	case resp.Err == RespConflict:
		return files.ErrConflict
	}
	return nil
}

// Open implements files.Store.
func (s *FileStore) Open(ctx context.Context, rid []byte) (io.ReadCloser, int64, error) {
	resp, err := s.call(ctx, rid, ChunkReq{Op: OpRecipient, ID: rid})
	if err != nil {
		return nil, 0, err
	}
	if !resp.Chunk.Uploaded {
		return nil, 0, files.ErrNotUploaded
	}
	if s.Redirect {
		return blobRef{resp.Chunk.Name}, int64(resp.Chunk.Size), nil
	}
	rc, n, err := s.Blobs.Get(ctx, resp.Chunk.Name)
	if err == ErrNoBlob {
		return nil, 0, files.ErrNotFound // deleted since
	}
	return rc, n, err
}

// DeleteRecipient implements files.Store.
func (s *FileStore) DeleteRecipient(ctx context.Context, rid []byte) (bool, error) {
	resp, err := s.call(ctx, rid, ChunkReq{Op: OpAck, ID: rid})
	return resp.Gone, err
}

// Delete implements files.Store.
func (s *FileStore) Delete(ctx context.Context, sid []byte) error {
	_, err := s.call(ctx, sid, ChunkReq{Op: OpDelete, ID: sid})
	return err
}

// Expire implements files.Store: nothing to do, each chunk's alarm
// deletes it.
func (s *FileStore) Expire(context.Context, time.Time, int) ([][]byte, error) { return nil, nil }

// Stored implements files.Store: unknown here (0).
func (s *FileStore) Stored() int64 { return 0 }

// Close implements files.Store.
func (s *FileStore) Close() error { return nil }
