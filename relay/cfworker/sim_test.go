package cfworker_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/relay/cfworker"
	"github.com/sxweb/sxweb/relay/wire"
)

// memKV is a queue's storage in memory.
type memKV struct {
	m     map[string][]byte
	alarm int64 // SetAlarm's last time
}

func (k *memKV) SetAlarm(_ context.Context, at int64) error {
	k.alarm = at
	return nil
}

func (k *memKV) Get(_ context.Context, key string) ([]byte, error) { return k.m[key], nil }

func (k *memKV) List(_ context.Context, prefix string, limit int) ([]cfworker.Entry, error) {
	var out []cfworker.Entry
	for key, v := range k.m {
		if strings.HasPrefix(key, prefix) {
			out = append(out, cfworker.Entry{Key: key, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out[:min(limit, len(out))], nil
}

func (k *memKV) Write(_ context.Context, put []cfworker.Entry, del []string) error {
	for _, e := range put {
		k.m[e.Key] = e.Value
	}
	for _, d := range del {
		delete(k.m, d)
	}
	return nil
}

// sim is the Worker's topology in one process: a mutex per queue stands
// for its Durable Object, a map of WebSockets for the session objects.
type sim struct {
	e        *cfworker.Engine
	mu       sync.Mutex
	queues   map[cfworker.Route]*simQueue
	sessions map[[wire.SessionIDLen]byte]*simSession
}

type simQueue struct {
	mu sync.Mutex
	kv *memKV
}

type simSession struct {
	mu sync.Mutex // one writer at a time
	c  *websocket.Conn
}

func newSim(t *testing.T, quota, maxMsg int) (*sim, *httptest.Server) {
	return newSimConfig(t, cfworker.Config{Quota: quota, MaxMsgSize: maxMsg})
}

func newSimConfig(t *testing.T, cfg cfworker.Config) (*sim, *httptest.Server) {
	priv, _ := wire.NewKeyPair()
	keys, err := cfworker.NewKeys(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Keys = keys
	s := &sim{e: cfworker.New(cfg),
		queues: map[cfworker.Route]*simQueue{}, sessions: map[[wire.SessionIDLen]byte]*simSession{}}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

func (s *sim) queue(r cfworker.Route) *simQueue {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[r]
	if q == nil {
		q = &simQueue{kv: &memKV{m: map[string][]byte{}}}
		s.queues[r] = q
	}
	return q
}

func (s *sim) call(ctx context.Context, req cfworker.QueueReq) ([][]byte, error) {
	q := s.queue(req.Route)
	q.mu.Lock()
	defer q.mu.Unlock()
	resp, err := s.e.QueueCmd(ctx, q.kv, req)
	if err != nil {
		return nil, err
	}
	for _, p := range resp.Pushes {
		if err := s.push(ctx, p); errors.Is(err, cfworker.ErrGone) {
			s.e.Gone(ctx, q.kv, p.Session[:])
		}
	}
	return resp.Out, nil
}

// expire rings the alarm of every queue, as the runtime would.
func (s *sim) expire(ctx context.Context) error {
	s.mu.Lock()
	var qs []*simQueue
	for _, q := range s.queues {
		qs = append(qs, q)
	}
	s.mu.Unlock()
	for _, q := range qs {
		q.mu.Lock()
		resp, err := s.e.Expire(ctx, q.kv, s.alive)
		for _, p := range resp.Pushes {
			s.push(ctx, p)
		}
		q.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// alive reports whether a session still has its WebSocket (SessionDO.alive).
func (s *sim) alive(session []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[[wire.SessionIDLen]byte(session)] != nil
}

func (s *sim) push(ctx context.Context, p cfworker.Push) error {
	s.mu.Lock()
	ss := s.sessions[p.Session]
	s.mu.Unlock()
	if ss == nil {
		return cfworker.ErrGone
	}
	return ss.write(ctx, cfworker.PackFrames([][]byte{p.T}))
}

func (ss *simSession) write(ctx context.Context, frames [][]byte) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, f := range frames {
		if err := ss.c.Write(ctx, websocket.MessageBinary, f); err != nil {
			return err
		}
	}
	return nil
}

func (s *sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Header.Get("Upgrade") != "":
		s.serveWS(w, r)
	case r.Method == http.MethodGet:
		w.Write(s.e.Keys().Hello(s.e.Keys().NewToken(time.Now())))
	default:
		body, _ := io.ReadAll(r.Body)
		w.Write(s.e.HandlePost(r.Context(), body, time.Now(), s.call))
	}
}

func (s *sim) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(wire.MaxFrame)
	sess := cfworker.Session{Push: true}
	rand.Read(sess.ID[:])
	ss := &simSession{c: c}
	s.mu.Lock()
	s.sessions[sess.ID] = ss
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, sess.ID)
		s.mu.Unlock()
	}()
	ctx := context.Background()
	if ss.write(ctx, [][]byte{s.e.Keys().Hello(sess.ID)}) != nil {
		return
	}
	if _, f, err := c.Read(ctx); err != nil {
		return
	} else if _, err := wire.ParseClientHello(f); err != nil {
		return
	}
	o := cfworker.NewOrderer() // as a kept Go instance holds one per session
	for {
		typ, f, err := c.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageBinary {
			f = nil
		}
		if ss.write(ctx, s.e.StartFrame(ctx, sess, o, f, s.call)()) != nil {
			return
		}
	}
}
