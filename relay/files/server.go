package files

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/relay/limit"
)

// Defaults of Config.
const (
	DefaultPrefix     = "/files"
	DefaultSweepEvery = time.Minute
	sweepBatch        = 256 // chunks an expiry pass removes per store call
)

// Config configures a Server. Zero values take the defaults.
type Config struct {
	Store      Store
	Prefix     string        // the path the relay is mounted at ("/files"); signatures cover the full path
	Expiry     time.Duration // a chunk is deleted this long after it was created
	SweepEvery time.Duration // how often expired chunks are deleted (< 0: only by Expire)
	Now        func() time.Time
	Logger     *slog.Logger
	Limits     Limits
	// DataDir is the directory of the store (set by Open): the watermark
	// watches the free space of its file system.
	DataDir string
}

// Server is the file relay: an http.Handler for the paths under Prefix.
type Server struct {
	cfg   Config
	lim   Limits
	st    Store
	log   *slog.Logger
	addrs *limit.Table
	ups   *limit.Table // uploads in progress per address (its MaxConns)
	upsN  atomic.Int64 // uploads in progress in all
	mark  *limit.Watermark
	holds holds

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	proxyWarned atomic.Bool
	refused     refusals
}

// New returns a Server on cfg.Store (which it closes on Close).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("files: no store")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if cfg.Expiry <= 0 {
		cfg.Expiry = DefaultExpiry
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = DefaultSweepEvery
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, lim: cfg.Limits.withDefaults(), st: cfg.Store, log: cfg.Logger, stop: make(chan struct{})}
	s.addrs = limit.NewTable(limit.Params{MaxConns: s.lim.MaxConnsPerAddr, Burst: s.lim.NewBurstPerAddr, Rate: s.lim.NewRatePerAddr})
	s.ups = limit.NewTable(limit.Params{MaxConns: s.lim.MaxUploadsPerAddr})
	s.holds.m = map[string][]charge{}
	s.mark = &limit.Watermark{MaxStore: s.lim.MaxStore, MinFreeDisk: s.lim.MinFreeDisk, Dir: cfg.DataDir, Log: s.log,
		What: "new chunks and uploads", MaxFlag: "-files-max-store", FreeFlag: "-min-free-disk"}
	if u, ok := s.st.(usager); ok {
		s.mark.Used = u.Used
	}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.mark.Watch(s.stop) }()
	go s.housekeeping()
	return s, nil
}

// Close stops the background work and closes the store. Requests still
// running get store errors.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.wg.Wait()
		err = s.st.Close()
	})
	return err
}

// Stored returns the bytes of uploaded chunks the relay holds (one copy
// per chunk, however many recipients).
func (s *Server) Stored() int64 { return s.st.Stored() }

// Expire deletes the chunks that have expired, sweepBatch at a time, and
// returns how many. Until then an expired chunk is already unknown to
// every request.
func (s *Server) Expire(ctx context.Context) (int, error) {
	total := 0
	for {
		sids, err := s.st.Expire(ctx, s.cfg.Now(), sweepBatch)
		for _, sid := range sids {
			s.holds.release(sid)
		}
		total += len(sids)
		if err != nil || len(sids) < sweepBatch {
			return total, err
		}
		select {
		case <-s.stop:
			return total, ErrClosed
		default:
		}
	}
}

// housekeeping deletes expired chunks every SweepEvery, and every minute
// forgets idle client addresses and logs what the limits refused.
func (s *Server) housekeeping() {
	defer s.wg.Done()
	const every = time.Minute
	sweep := s.cfg.SweepEvery
	if sweep < 0 {
		sweep = time.Duration(1<<63 - 1)
	}
	st, ht := time.NewTicker(sweep), time.NewTicker(every)
	defer st.Stop()
	defer ht.Stop()
	for {
		select {
		case <-st.C:
			n, err := s.Expire(context.Background())
			if err != nil && !errors.Is(err, ErrClosed) {
				s.log.Warn("file relay: expiry", "err", err)
			} else if n > 0 {
				s.log.Info("file relay: expired chunks", "n", n)
			}
		case <-ht.C:
			s.addrs.Sweep(time.Now())
			s.ups.Sweep(time.Now())
			s.refused.log(s.log, every)
		case <-s.stop:
			return
		}
	}
}

// refusals counts what the limits refused, for a log line a minute
// (counts only: addresses are never logged).
type refusals struct{ conns, rate, held, quota, recipients, uploads atomic.Int64 }

func (r *refusals) log(log *slog.Logger, every time.Duration) {
	c, n, h, q, rc, u := r.conns.Swap(0), r.rate.Swap(0), r.held.Swap(0), r.quota.Swap(0), r.recipients.Swap(0), r.uploads.Swap(0)
	if c+n+h+q+rc+u > 0 {
		log.Warn("file relay: limits refused", "period", every, "requests_over_per_address", c, "creations_over_rate", n,
			"over_held_per_address", h, "writes_over_store_watermark", q, "recipients_over_per_chunk", rc, "uploads_over_limit", u)
	}
}

// holds remembers, in memory only, which address entries are charged for
// each chunk (its full size and its recipients), so that they are given
// back when the chunk goes. Nothing of it is stored: after a restart the
// chunks already held are charged to nobody.
type holds struct {
	mu sync.Mutex
	m  map[string][]charge // by sender id
}

type charge struct {
	a *limit.Addr
	n int64
}

// add records that a holds n more bytes for chunk sid.
func (h *holds) add(sid []byte, a *limit.Addr, n int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cs := h.m[string(sid)]
	for i := range cs {
		if cs[i].a == a {
			cs[i].n += n
			return
		}
	}
	h.m[string(sid)] = append(cs, charge{a, n})
}

// sub takes back n of a's charge for chunk sid (what add recorded for a
// change that then failed).
func (h *holds) sub(sid []byte, a *limit.Addr, n int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cs := h.m[string(sid)]
	for i := range cs {
		if cs[i].a == a {
			cs[i].n -= n
			a.Release(n)
			if cs[i].n == 0 {
				cs = append(cs[:i], cs[i+1:]...)
			}
			break
		}
	}
	if len(cs) == 0 {
		delete(h.m, string(sid))
	} else {
		h.m[string(sid)] = cs
	}
}

// release gives back what chunk sid was charged.
func (h *holds) release(sid []byte) {
	h.mu.Lock()
	cs := h.m[string(sid)]
	delete(h.m, string(sid))
	h.mu.Unlock()
	for _, c := range cs {
		c.a.Release(c.n)
	}
}
