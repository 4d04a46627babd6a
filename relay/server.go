package relay

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/relay/limit"
	"github.com/sxweb/sxweb/relay/rules"
	"github.com/sxweb/sxweb/relay/store"
	"github.com/sxweb/sxweb/relay/wire"
)

// Defaults of Config.
const (
	DefaultQuota       = 128
	DefaultMaxMsgSize  = 16384
	DefaultExpiry      = 21 * 24 * time.Hour
	DefaultIdleTimeout = 5 * time.Minute
	DefaultExpireEvery = time.Hour
	expireBatch        = 1024     // messages an expiry pass looks at per commit
	maxOutbox          = 64 << 20 // bytes queued for one session before it is dropped
	pushLimit          = 1 << 20  // above this, deliveries to the session wait until it drained half
	workers            = 512      // goroutines handling transmissions, shared by all sessions
)

// Config configures a Server. Zero values take the defaults.
type Config struct {
	Store       store.Store
	AuthKey     []byte        // relay's long-term X25519 private key (32 bytes)
	Quota       int           // messages per queue
	MaxMsgSize  int           // largest SEND body
	Expiry      time.Duration // messages older than this are dropped
	IdleTimeout time.Duration // a WebSocket session that sends nothing this long is closed
	ExpireEvery time.Duration // how often expired messages are deleted (default 1 hour; < 0: only by Expire)
	Now         func() time.Time
	Logger      *slog.Logger
	Limits      Limits // per session, per client address and relay-wide (limits.go)
	// DataDir is the directory of the store (set by Open): the store
	// watermark watches the free space of its file system.
	DataDir string
}

// Server is the relay engine and its HTTP transport.
type Server struct {
	cfg      Config
	authPub  []byte
	tokenKey []byte // keys HTTP session tokens
	subs     subTable
	log      *slog.Logger
	stop     chan struct{}
	wg       sync.WaitGroup
	once     sync.Once

	jobs     chan func()    // transmissions ready to run (workers pick them up)
	quit     chan struct{}  // stops the workers, after every session ended
	sessions sync.WaitGroup // running WebSocket sessions and POSTs
	workerWG sync.WaitGroup

	connMu sync.Mutex
	conns  map[*Session]func() // open WebSocket sessions → close func

	lim     Limits           // cfg.Limits with defaults
	addrs   *limit.Table     // per-address counts (memory only)
	mark    *limit.Watermark // store size and free disk
	touch   toucher          // queues used today (queueexpiry.go)
	freeMem chan struct{}    // a large session closed (memory.go)

	proxyWarned atomic.Bool // warned once that requests come through a proxy (clientaddr.go)
	refused     refusals    // counts for the periodic log line
}

// New returns a Server on cfg.Store (which it closes on Close).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("relay: no store")
	}
	cfg = cfg.withDefaults()
	pub, err := wire.PublicKey(cfg.AuthKey)
	if err != nil {
		return nil, fmt.Errorf("relay: auth key: %w", err)
	}
	tk, err := hkdf.Key(sha256.New, cfg.AuthKey, nil, "sxweb relay http session", 32)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, authPub: pub, tokenKey: tk, log: cfg.Logger, stop: make(chan struct{}),
		conns: map[*Session]func(){}, jobs: make(chan func(), workers), quit: make(chan struct{}),
		lim: cfg.Limits.withDefaults(), freeMem: make(chan struct{}, 1),
		touch: toucher{rids: map[string]struct{}{}, kick: make(chan struct{}, 1)}}
	s.addrs = limit.NewTable(limit.Params{MaxConns: s.lim.MaxConnsPerAddr, Burst: s.lim.NewBurstPerAddr, Rate: s.lim.NewRatePerAddr})
	s.mark = newWatermark(s)
	s.subs.init()
	s.start()
	return s, nil
}

func (cfg Config) withDefaults() Config {
	if cfg.Quota <= 0 {
		cfg.Quota = DefaultQuota
	}
	if cfg.MaxMsgSize <= 0 {
		cfg.MaxMsgSize = DefaultMaxMsgSize
	}
	if cfg.Expiry <= 0 {
		cfg.Expiry = DefaultExpiry
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.ExpireEvery == 0 {
		cfg.ExpireEvery = DefaultExpireEvery
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// start starts the worker pool and the background loops.
func (s *Server) start() {
	// A fixed pool rather than a goroutine per transmission: thousands of
	// concurrent SUBs otherwise contend on bbolt's and the session's locks.
	// Writes block a worker until their group commit, so up to this many
	// writes share one fsync.
	for i := 0; i < workers; i++ {
		s.workerWG.Add(1)
		go func() {
			defer s.workerWG.Done()
			for {
				select {
				case f := <-s.jobs:
					f()
				case <-s.quit:
					return
				}
			}
		}()
	}
	if s.cfg.ExpireEvery > 0 {
		s.wg.Add(1)
		go s.expireLoop()
	}
	s.wg.Add(4)
	go s.housekeeping()
	go s.watch()
	go s.touchLoop()
	go s.memoryLoop()
}

// Open starts a Server whose state lives in dir: the bbolt store
// (relay.db) and the auth key (auth.key, created on first start).
// cfg.Store and cfg.AuthKey are ignored.
func Open(dir string, cfg Config) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key, err := LoadOrCreateKey(filepath.Join(dir, "auth.key"))
	if err != nil {
		return nil, err
	}
	st, err := store.OpenBolt(filepath.Join(dir, "relay.db"))
	if err != nil {
		return nil, err
	}
	cfg.Store, cfg.AuthKey, cfg.DataDir = st, key, dir
	s, err := New(cfg)
	if err != nil {
		st.Close()
	}
	return s, err
}

// LoadOrCreateKey reads a 32-byte X25519 private key from path, creating
// it (mode 0600) if the file does not exist.
func LoadOrCreateKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) != wire.KeyLen {
			return nil, fmt.Errorf("relay: %s: not a %d-byte key", path, wire.KeyLen)
		}
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	priv, _ := wire.NewKeyPair()
	if err := os.WriteFile(path, priv, 0o600); err != nil {
		return nil, err
	}
	return priv, nil
}

// AuthPublicKey returns the relay's long-term X25519 public key.
func (s *Server) AuthPublicKey() []byte { return s.authPub }

// Close closes every WebSocket session, stops background work and closes
// the store.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.connMu.Lock()
		for _, f := range s.conns {
			f()
		}
		s.connMu.Unlock()
		s.sessions.Wait() // their transmissions still run on the workers
		close(s.quit)
		s.workerWG.Wait()
		s.wg.Wait()
		err = s.cfg.Store.Close()
	})
	return err
}

func (s *Server) now() int64 { return s.cfg.Now().UnixMilli() }

// notBefore is the oldest timestamp that has not expired.
func (s *Server) notBefore() int64 { return s.now() - s.cfg.Expiry.Milliseconds() }

// Expire deletes the messages that have expired, expireBatch at a time:
// each batch is one write of the group commit, so sends and ACKs of every
// session keep being committed (and acknowledged) between batches. It
// returns how many messages it deleted. Expired messages not deleted yet
// are never delivered: delivery skips them (Store.Peek's notBefore).
func (s *Server) Expire(ctx context.Context) (int, error) {
	before := s.notBefore()
	total := 0
	var cur []byte
	for {
		n, next, err := s.cfg.Store.ExpireBatch(ctx, before, cur, expireBatch)
		total += n
		if err != nil || next == nil {
			return total, err
		}
		cur = next
		select {
		case <-s.stop:
			return total, store.ErrClosed
		default:
		}
	}
}

// expireLoop runs Expire at start and then every cfg.ExpireEvery, and
// ExpireQueues at start and then once a day (queue days have day
// resolution).
func (s *Server) expireLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.ExpireEvery)
	defer t.Stop()
	var lastQueues uint32
	for {
		n, err := s.Expire(context.Background())
		s.logExpiry("expired messages", n, err)
		if day := rules.Day(s.cfg.Now()); day != lastQueues {
			lastQueues = day
			n, err := s.ExpireQueues(context.Background())
			s.logExpiry("expired idle queues", n, err)
		}
		select {
		case <-t.C:
		case <-s.stop:
			return
		}
	}
}

func (s *Server) logExpiry(what string, n int, err error) {
	if err != nil && !errors.Is(err, store.ErrClosed) {
		s.log.Warn(what, "err", err)
	} else if n > 0 {
		s.log.Info(what, "n", n)
	}
}

// housekeeping forgets idle client addresses and logs what the limits
// refused, every minute.
func (s *Server) housekeeping() {
	defer s.wg.Done()
	const every = time.Minute
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.addrs.Sweep(time.Now())
			s.logRefusals(every)
		case <-s.stop:
			return
		}
	}
}

// StoreStats returns the group-commit counters when the store is the bbolt one.
func (s *Server) StoreStats() (store.CommitStats, bool) {
	if b, ok := s.cfg.Store.(*store.Bolt); ok {
		return b.Stats, true
	}
	return store.CommitStats{}, false
}
