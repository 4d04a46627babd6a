//go:build js && wasm

package cfworker

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net/http"
	"syscall/js"
	"time"

	"github.com/syumai/workers"

	"github.com/sxweb/sxweb/relay/wire"
)

// Main serves one request in a fresh Go instance (github.com/syumai/workers)
// and returns. The JS glue (worker/src) sets context.role to "worker" (the
// stateless entry: plain GET hello and POST batches), "session" (inside a
// session's Durable Object, one instance per frame; "session-keep": one
// instance while the session is busy, see serveSession) or "queue" (inside a queue's Durable Object,
// with context.storage).
func Main() {
	rc := js.Global().Get("context")
	e, err := engineFromEnv()
	var h http.Handler
	switch role := rc.Get("role").String(); {
	case err != nil:
		h = failHandler{err}
	case role == "queue-keep":
		serveQueue(&queueHandler{e: e, kv: doKV{rc.Get("storage")}})
		return
	case role == "queue":
		h = &queueHandler{e: e, kv: doKV{rc.Get("storage")}}
	case role == "session-keep":
		serveSession(e)
		return
	case role == "session":
		h = &sessionHandler{e: e}
	case role == "files":
		serveFiles(e.Keys())
		return
	case role == "chunk":
		h = chunkHandler{kv: doKV{rc.Get("storage")}}
	default:
		h = &httpHandler{e: e}
	}
	workers.Serve(h)
}

type failHandler struct{ err error }

func (f failHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, f.err.Error(), http.StatusInternalServerError)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxFrame+wire.SessionIDLen+64))
	if err != nil {
		http.Error(w, "relay: body larger than one frame", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return b, true
}

func writeBytes(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// httpHandler is the stateless entry: the same plain-HTTP form as package
// relay (GET: hello with a signed session token; POST: one batch in, one
// out, no SUB and no pushes).
type httpHandler struct{ e *Engine }

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeBytes(w, h.e.Keys().Hello(h.e.Keys().NewToken(time.Now())))
	case http.MethodPost:
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		writeBytes(w, h.e.HandlePost(r.Context(), body, time.Now(), callQueue))
	default:
		http.Error(w, "relay: GET or POST", http.StatusMethodNotAllowed)
	}
}

// sessionHandler runs inside a session's object, once per frame.
type sessionHandler struct{ e *Engine }

func (h *sessionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sid, err := hex.DecodeString(r.Header.Get("X-Session"))
	if err != nil || len(sid) != wire.SessionIDLen {
		http.Error(w, ErrBadRequest.Error(), http.StatusBadRequest)
		return
	}
	s := Session{Push: true}
	copy(s.ID[:], sid)
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	switch r.URL.Path {
	case "/open":
		writeBytes(w, h.e.Keys().Hello(s.ID))
	case "/hello":
		if v, err := wire.ParseClientHello(body); err != nil || v < wire.MinVersion || v > wire.MaxVersion {
			http.Error(w, "bad client hello", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "/frame":
		writeBytes(w, EncodeList(h.e.HandleFrame(r.Context(), s, body, callQueue)))
	default:
		http.NotFound(w, r)
	}
}

// queueHandler runs one command inside a queue's object (which runs them
// one at a time), then sends its pushes.
type queueHandler struct {
	e  *Engine
	kv KV
}

func (h *queueHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	if r.URL.Path == "/expire" {
		h.expire()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	out, err := h.run(body)
	if err != nil || r.URL.Path != "/cmd" {
		http.Error(w, ErrBadRequest.Error(), http.StatusBadRequest)
		return
	}
	writeBytes(w, out)
}

// expire runs when the queue's alarm rings.
func (h *queueHandler) expire() {
	ctx := context.Background()
	resp, err := h.e.Expire(ctx, h.kv, sessionAlive)
	if err != nil {
		log.Printf("relay: expire: %v", err)
	}
	h.push(ctx, resp.Pushes)
}

func (h *queueHandler) push(ctx context.Context, pushes []Push) {
	for _, p := range pushes {
		if err := pushTo(p.Session, p.T); errors.Is(err, ErrGone) {
			h.e.Gone(ctx, h.kv, p.Session[:])
		} else if err != nil {
			log.Printf("relay: push: %v", err)
		}
	}
}

// run runs one queue command (the body of a /cmd request), sends its
// pushes and returns the caller's answer as a list.
func (h *queueHandler) run(body []byte) ([]byte, error) {
	req, err := DecodeQueueReq(body)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	resp, err := h.e.QueueCmd(ctx, h.kv, req)
	if err != nil {
		log.Printf("relay: queue storage: %v", err)
		t, _ := wire.Decode(req.Raw)
		resp.Out = [][]byte{encodeT(errT(&t, wire.ErrInternal))}
	}
	h.push(ctx, resp.Pushes)
	return EncodeList(resp.Out), nil
}
