package cfworker

import (
	"context"
	"time"

	"github.com/sxweb/sxweb/relay/rules"
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
	DefaultQuota       = 128
	DefaultMaxMsgSize  = 16384
	DefaultExpiry      = 21 * 24 * time.Hour
	DefaultQueueExpiry = 12 * 7 * 24 * time.Hour
	DefaultNewBurst    = 2000
	DefaultNewRate     = 1.0
)

// Config sets the relay's limits; zero values take the defaults.
type Config struct {
	Keys        *Keys
	Quota       int           // messages per queue
	MaxMsgSize  int           // largest SEND body
	Expiry      time.Duration // messages older than this are dropped
	QueueExpiry time.Duration // a queue neither subscribed, read nor sent to this long is deleted (< 0: never)
	// ActiveUnit is the resolution of a queue's last-active time
	// (rules.Days); only a test in real time sets a shorter one.
	ActiveUnit time.Duration
	// NewBurst and NewRate bound the queues one WebSocket session creates:
	// NewBurst at once, then NewRate per second (< 0: no limit).
	NewBurst int
	NewRate  float64
	Now      func() time.Time
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
	if cfg.QueueExpiry == 0 {
		cfg.QueueExpiry = DefaultQueueExpiry
	}
	if cfg.ActiveUnit <= 0 {
		cfg.ActiveUnit = rules.Days
	}
	if cfg.NewBurst == 0 {
		cfg.NewBurst = DefaultNewBurst
	}
	if cfg.NewRate <= 0 {
		cfg.NewRate = DefaultNewRate
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

// today is the current active-day number (rules.DayOf in ActiveUnit).
func (e *Engine) today() uint32 { return rules.DayOf(e.cfg.Now(), e.cfg.ActiveUnit) }

// idleAt is when a queue last active on day becomes idle, in unix ms (0:
// never: no day known, or queue expiry off).
func (e *Engine) idleAt(day uint32) int64 {
	if day == 0 || e.cfg.QueueExpiry <= 0 {
		return 0
	}
	return rules.IdleAtOf(day, e.cfg.QueueExpiry, e.cfg.ActiveUnit).UnixMilli()
}

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
