package cfworker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/filesuite"
	"github.com/sxweb/sxweb/relay/cfworker"
	"github.com/sxweb/sxweb/relay/files"
)

// The file relay's conformance suite against relay/files on the Worker's
// store (FileStore: a chunk per object, bytes in blobs), with the objects
// and R2 simulated in memory: each object runs one command at a time, its
// alarm rings when the clock is moved past it. The same suite runs in
// workerd (cftest).

// chunkObject is one chunk's Durable Object: its storage and alarm.
type chunkObject struct {
	mu    sync.Mutex // one command at a time
	m     map[string][]byte
	alarm int64
}

func (o *chunkObject) Get(_ context.Context, key string) ([]byte, error) { return o.m[key], nil }

func (o *chunkObject) Write(_ context.Context, put []cfworker.Entry, del []string) error {
	for _, e := range put {
		o.m[e.Key] = bytes.Clone(e.Value)
	}
	for _, k := range del {
		delete(o.m, k)
	}
	return nil
}

func (o *chunkObject) DeleteAll(context.Context) error {
	o.m = map[string][]byte{}
	return nil
}

func (o *chunkObject) SetAlarm(_ context.Context, at int64) error {
	o.alarm = at
	return nil
}

// memBlobs is R2 in memory.
type memBlobs struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (b *memBlobs) Put(_ context.Context, name string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[name] = bytes.Clone(data)
	return nil
}

func (b *memBlobs) Get(_ context.Context, name string) (io.ReadCloser, int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.m[name]
	if !ok {
		return nil, 0, cfworker.ErrNoBlob
	}
	return io.NopCloser(bytes.NewReader(d)), int64(len(d)), nil
}

func (b *memBlobs) Delete(_ context.Context, names []string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, n := range names {
		delete(b.m, n)
	}
	return nil
}

func (b *memBlobs) bytes() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var n int64
	for _, d := range b.m {
		n += int64(len(d))
	}
	return n
}

// chunkSim is the namespace of chunk objects and the bucket.
type chunkSim struct {
	mu    sync.Mutex
	objs  map[cfworker.Route]*chunkObject
	blobs *memBlobs
}

func (s *chunkSim) call(ctx context.Context, r cfworker.Route, body []byte) ([]byte, error) {
	s.mu.Lock()
	o := s.objs[r]
	if o == nil {
		o = &chunkObject{m: map[string][]byte{}}
		s.objs[r] = o
	}
	s.mu.Unlock()
	var req cfworker.ChunkReq
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	resp, err := cfworker.ChunkCmd(ctx, o, s.blobs, req)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

// ring runs the alarms due at now.
func (s *chunkSim) ring(now time.Time) {
	s.mu.Lock()
	objs := make([]*chunkObject, 0, len(s.objs))
	for _, o := range s.objs {
		objs = append(objs, o)
	}
	s.mu.Unlock()
	for _, o := range objs {
		o.mu.Lock()
		if o.alarm != 0 && o.alarm <= now.UnixMilli() {
			o.alarm = 0
			cfworker.ChunkCmd(context.Background(), o, s.blobs, cfworker.ChunkReq{Op: cfworker.OpExpire, Now: now.UnixMilli()})
		}
		o.mu.Unlock()
	}
}

// redirected serves h as the Worker's JS does: a download's answer names
// its blob (cfworker.BlobHeader), whose bytes are streamed from the
// bucket instead.
func redirected(h http.Handler, blobs *memBlobs) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		name := rec.Header().Get(cfworker.BlobHeader)
		for k, v := range rec.Header() {
			if k != cfworker.BlobHeader {
				w.Header()[k] = v
			}
		}
		if name == "" {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		if rec.Body.Len() != 0 {
			panic("a redirected answer with a body")
		}
		rc, _, err := blobs.Get(r.Context(), name)
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"error":"AUTH"}`))
			return
		}
		defer rc.Close()
		w.WriteHeader(rec.Code)
		io.Copy(w, rc)
	})
}

// clock is real time plus an offset the test moves (relaytest's does not
// build for GOOS=js).
type clock struct{ off atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) Advance(d time.Duration) { c.off.Add(int64(d)) }

func TestFileStoreConformance(t *testing.T) {
	keys, err := cfworker.NewKeys(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sim := &chunkSim{objs: map[cfworker.Route]*chunkObject{}, blobs: &memBlobs{m: map[string][]byte{}}}
	clock := &clock{}
	srv, err := files.New(files.Config{Store: &cfworker.FileStore{Keys: keys.FilesKeys(), Call: sim.call, Blobs: sim.blobs, Redirect: true},
		Now: clock.Now, Limits: files.Unlimited()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(redirected(srv, sim.blobs))
	defer hs.Close()
	filesuite.Run(t, filesuite.Target{URL: hs.URL + "/files", Now: clock.Now, Stored: sim.blobs.bytes,
		Advance: func(d time.Duration) { clock.Advance(d); sim.ring(clock.Now()) }})
	if n := sim.blobs.bytes(); n != 0 { // not every chunk was deleted: check no blob outlives its chunk
		clock.Advance(49 * time.Hour)
		sim.ring(clock.Now())
		if n := sim.blobs.bytes(); n != 0 {
			t.Fatalf("%d bytes of blobs left after every chunk expired", n)
		}
	}
}
