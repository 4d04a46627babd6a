//go:build js && wasm

package cfworker

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"github.com/sxweb/sxweb/relay/files"
)

// Bindings and variables of the file relay (worker/wrangler.toml).
const (
	bindChunk       = "CHUNK" // Durable Object namespace: one object per chunk
	bindBlobs       = "FILES" // R2 bucket: the chunks' bytes
	envFilesExpiry  = "FILES_EXPIRY_HOURS"
	envFilesExpiryS = "FILES_EXPIRY_SECONDS" // overrides the hours (tests)
)

// serveFiles serves one request of the file relay (role "files", a
// fresh instance per request): relay/files' handler, the same as the
// native relay's, on FileStore. Per-address limits are not kept here (an
// address would need an object of its own): Cloudflare's rate-limiting
// rules do that in front of the Worker (docs/cloudflare.md, "Files").
func serveFiles(keys *Keys) {
	expiry := time.Duration(atoi(cloudflare.Getenv(envFilesExpiry))) * time.Hour
	if s := atoi(cloudflare.Getenv(envFilesExpiryS)); s > 0 {
		expiry = time.Duration(s) * time.Second
	}
	srv, err := files.New(files.Config{Store: &FileStore{Keys: keys.FilesKeys(), Call: callChunk, Blobs: r2Blobs{}, Redirect: true},
		Expiry: expiry, SweepEvery: -1, Limits: files.Unlimited(), Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		workers.Serve(failHandler{err})
		return
	}
	workers.Serve(srv)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// callChunk is the ChunkCaller of the Worker: the chunk object's op.
func callChunk(ctx context.Context, route Route, req []byte) ([]byte, error) {
	v, err := stubCall(bindChunk, route.String(), "op", req)
	if err != nil {
		return nil, err
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, ErrBadRequest
	}
	return bytesOf(v), nil
}

// chunkHandler runs one command inside a chunk's object (role "chunk",
// which runs them one at a time): POST /op with a ChunkReq, POST /expire
// when the object's alarm rings.
type chunkHandler struct{ kv doKV }

func (h chunkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req ChunkReq
	if r.URL.Path == "/expire" {
		req = ChunkReq{Op: OpExpire, Now: time.Now().UnixMilli()}
	} else if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || r.URL.Path != "/op" {
		http.Error(w, ErrBadRequest.Error(), http.StatusBadRequest)
		return
	}
	resp, err := ChunkCmd(r.Context(), h.kv, r2Blobs{}, req)
	if err != nil {
		log.Printf("files: chunk %s: %v", req.Op, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b, _ := json.Marshal(resp)
	writeBytes(w, b)
}

// r2Blobs is Blobs on the R2 bucket FILES.
type r2Blobs struct{}

func bucket() js.Value { return cloudflare.GetBinding(bindBlobs) }

func (r2Blobs) Put(ctx context.Context, name string, b []byte) error {
	_, err := await(bucket().Call("put", name, uint8Array(b)))
	return err
}

// Get streams the object's body from R2 (a chunk is never copied whole
// into Go). Downloads do not use it: the JS streams the object itself
// (FileStore.Redirect).
func (r2Blobs) Get(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	obj, err := await(bucket().Call("get", name))
	if err != nil {
		return nil, 0, err
	}
	if obj.IsNull() || obj.IsUndefined() {
		return nil, 0, ErrNoBlob
	}
	return &jsStream{r: obj.Get("body").Call("getReader")}, int64(obj.Get("size").Int()), nil
}

func (r2Blobs) Delete(ctx context.Context, names []string) error {
	keys := make([]any, len(names))
	for i, n := range names {
		keys[i] = n
	}
	_, err := await(bucket().Call("delete", keys))
	return err
}

// jsStream reads a ReadableStream's reader.
type jsStream struct {
	r    js.Value
	rest []byte
	done bool
}

func (s *jsStream) Read(p []byte) (int, error) {
	for len(s.rest) == 0 {
		if s.done {
			return 0, io.EOF
		}
		v, err := await(s.r.Call("read"))
		if err != nil {
			return 0, err
		}
		if v.Get("done").Bool() {
			s.done = true
			continue
		}
		s.rest = bytesOf(v.Get("value"))
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	return n, nil
}

func (s *jsStream) Close() error {
	if !s.done {
		s.r.Call("cancel")
	}
	return nil
}
