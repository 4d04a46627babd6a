package files

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// Errors of a Store, with stable meaning; the server maps them to the
// protocol's codes.
var (
	ErrNotFound    = errors.New("files: no such chunk or recipient") // AUTH: the ids are unknown
	ErrNotUploaded = errors.New("files: chunk not uploaded yet")     // NOT_FOUND
	ErrConflict    = errors.New("files: chunk uploaded with other bytes")
	ErrSize        = errors.New("files: body is not the chunk's size")
	ErrFull        = errors.New("files: chunk has as many recipients as allowed")
	ErrClosed      = errors.New("files: store closed")
)

// Chunk is what a store keeps of a chunk besides its bytes and its
// recipients' keys.
type Chunk struct {
	SenderID   []byte
	SenderKey  []byte // Ed25519 public key
	Size       int    // a chunk size (filewire.ChunkSizes)
	Expires    time.Time
	Uploaded   bool
	Digest     []byte // SHA-256 of the bytes, once uploaded
	Recipients int    // recipients not done yet
}

// NewChunk is a chunk to create.
type NewChunk struct {
	SenderKey     []byte
	RecipientKeys [][]byte
	Size          int
	Expires       time.Time
}

// Store keeps chunks: metadata and bytes. Ids are the store's to make
// (24 random bytes, or bytes that also route to where the chunk lives, as
// on the Worker). Every method is atomic for its chunk; a method that
// returns has made its change durable.
//
// Expired chunks may still be returned until Expire removes them: the
// server checks Expires itself.
type Store interface {
	// Create adds a chunk with its first recipients and returns their ids.
	Create(ctx context.Context, c NewChunk) (senderID []byte, recipientIDs [][]byte, err error)
	// BySender returns a chunk by its sender id (ErrNotFound).
	BySender(ctx context.Context, senderID []byte) (Chunk, error)
	// ByRecipient returns the chunk of a recipient id, and the
	// recipient's key (ErrNotFound).
	ByRecipient(ctx context.Context, recipientID []byte) (Chunk, []byte, error)
	// AddRecipients adds recipients to a chunk unless it would then have
	// more than max (ErrFull).
	AddRecipients(ctx context.Context, senderID []byte, keys [][]byte, max int) ([][]byte, error)
	// Put stores a chunk's bytes: exactly its size read from body (else
	// ErrSize), whose SHA-256 check accepts (else check's error). Only
	// then is anything visible; a crash before leaves nothing. Bytes
	// uploaded before are kept: the same again is success, others
	// ErrConflict.
	Put(ctx context.Context, senderID []byte, body io.Reader, check func(digest [32]byte) error) error
	// Open returns a chunk's bytes to stream (ErrNotFound,
	// ErrNotUploaded) and their length.
	Open(ctx context.Context, recipientID []byte) (io.ReadCloser, int64, error)
	// DeleteRecipient removes a recipient; when it was the chunk's last
	// one, the chunk goes too (gone).
	DeleteRecipient(ctx context.Context, recipientID []byte) (gone bool, err error)
	// Delete removes a chunk, its bytes and every recipient id.
	Delete(ctx context.Context, senderID []byte) error
	// Expire removes up to limit chunks whose Expires is not after now,
	// and returns their sender ids (none left: fewer than limit).
	Expire(ctx context.Context, now time.Time, limit int) ([][]byte, error)
	// Stored returns the bytes of the uploaded chunks it holds.
	Stored() int64
	Close() error
}

// Redirector is a chunk body its platform streams itself: the Worker's
// JS streams an R2 object to the client without copying it through Go.
// The handler lets it set its headers and writes no body.
type Redirector interface {
	Redirect(h http.Header)
}

// usager is a store that can tell how many bytes of disk it uses (for
// the watermark): its chunks' bytes and its metadata.
type usager interface {
	Used() (int64, error)
}
