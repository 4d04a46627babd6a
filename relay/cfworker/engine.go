package cfworker

import (
	"context"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// KV is one queue's storage: a Durable Object's, or a map in tests. Its
// caller serializes the calls for one queue.
type KV interface {
	// Get returns the value of key, or nil when it is absent.
	Get(ctx context.Context, key string) ([]byte, error)
	// List returns up to limit entries whose keys start with prefix, in key order.
	List(ctx context.Context, prefix string, limit int) ([]Entry, error)
	// Write puts and deletes atomically.
	Write(ctx context.Context, put []Entry, del []string) error
}

// Alarmer is implemented by a KV that can wake its queue at a time (a
// Durable Object alarm): the queue's owner then calls Engine.Expire.
type Alarmer interface {
	SetAlarm(ctx context.Context, atMillis int64) error
}

// Entry is one key and its value.
type Entry struct {
	Key   string
	Value []byte
}

// Defaults of Config: package relay's (not imported, to keep the Worker small).
const (
	DefaultQuota      = 128
	DefaultMaxMsgSize = 16384
	DefaultExpiry     = 21 * 24 * time.Hour
)

// Config sets the relay's limits; zero values take the defaults.
type Config struct {
	Keys       *Keys
	Quota      int           // messages per queue
	MaxMsgSize int           // largest SEND body
	Expiry     time.Duration // messages older than this are dropped
	Now        func() time.Time
}

// Engine runs the relay's commands; it keeps no state between calls.
type Engine struct {
	cfg Config
}

// New returns an Engine.
func New(cfg Config) *Engine {
	if cfg.Quota <= 0 {
		cfg.Quota = DefaultQuota
	}
	if cfg.MaxMsgSize <= 0 {
		cfg.MaxMsgSize = DefaultMaxMsgSize
	}
	if cfg.Expiry <= 0 {
		cfg.Expiry = DefaultExpiry
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{cfg: cfg}
}

// Keys returns the relay's keys.
func (e *Engine) Keys() *Keys { return e.cfg.Keys }

func (e *Engine) now() int64 { return e.cfg.Now().UnixMilli() }

func (e *Engine) notBefore() int64 { return e.now() - e.cfg.Expiry.Milliseconds() }

// QueueReq is one transmission for one queue, and who sent it.
type QueueReq struct {
	Session [wire.SessionIDLen]byte
	Push    bool // a WebSocket session: it may SUB and receives events
	Route   Route
	Raw     []byte // one transmission, without its length prefix
}

// QueueResp is what a queue command produced.
type QueueResp struct {
	Out    [][]byte // encoded transmissions for the caller, in order
	Pushes []Push   // events for other sessions, sent after the state is stored
}

// Push is one event for a session's WebSocket.
type Push struct {
	Session [wire.SessionIDLen]byte
	T       []byte // encoded transmission
}

func (r *QueueResp) out(t *wire.Transmission) {
	r.Out = append(r.Out, encodeT(t))
}

func encodeT(t *wire.Transmission) []byte {
	return wire.AppendTransmission(make([]byte, 0, t.EncodedLen()), t, nil)
}

func errT(t *wire.Transmission, code wire.ErrCode) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.ERR, Err: code}
}

func okT(t *wire.Transmission) *wire.Transmission {
	return &wire.Transmission{CorrID: t.CorrID, EntityID: t.EntityID, Code: wire.OK}
}
