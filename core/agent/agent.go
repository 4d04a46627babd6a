package agent

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/store"
)

// Handler receives the events of a transaction, in order, under the
// agent's lock; what it does through t (store writes, sends, joins)
// commits atomically with the agent's own state change for the event. An
// error means "transient": the transaction is dropped and the same events
// come again later.
type Handler func(t *Tx, ev Event) error

// Config configures an Agent.
type Config struct {
	Store  store.Store
	Relays []string // relays where our queues are created (the first one)
	// Dial opens connections to relays (wsdial.Dial natively, the browser's
	// WebSocket in wasm). Used when NewRelay is nil.
	Dial relayclient.Dialer
	// NewRelay makes the client of one relay; nil: relayclient.New over Dial.
	NewRelay func(server string) RelayClient
	// LinkBase is the app URL links are made under (link.DefaultBase if empty).
	LinkBase string
	// ReceiptDelay is how long receipts wait for an outgoing message to ride
	// on before they go alone (default 50ms).
	ReceiptDelay time.Duration
	// RetryMin and RetryMax bound the outbox's exponential backoff
	// (defaults 100ms and 5s).
	RetryMin, RetryMax time.Duration
	// SealBatch is how many messages of SendMany one commit seals (default
	// 256): a message to 1,000 members is sealed in 4 commits.
	SealBatch int
	// ConnectWait bounds how long a transaction that needs new queues waits
	// for the relay connection (default 10s); then it fails NOT_CONNECTED.
	ConnectWait time.Duration
	// SyncInterval is the cooldown after a ratchet re-synchronization of a
	// connection before it takes part in another (a request of the peer
	// within it is answered when it ends); it doubles with each one in a
	// row, up to SyncMaxInterval (defaults 1 minute and 1 hour). A peer
	// cannot make this agent re-key faster.
	SyncInterval, SyncMaxInterval time.Duration
	// Restored: the store is a copy of another client's (an imported
	// backup), whose ratchets may be older than the peers'. At Start every
	// connection re-synchronizes before anything new is sealed, so no
	// message key of the copy is used a second time.
	Restored bool
	// Logf receives diagnostics (default: discard).
	Logf func(format string, args ...any)
}

// Stats is a snapshot of the agent's load.
type Stats struct {
	Connections     int // connections and addresses
	Subscriptions   int // queues subscribed on their relays
	PendingOutbox   int // outbox entries not yet accepted by a relay
	PendingMessages int // of them, application messages (one per recipient)
}

// Agent runs duplex connections. Create with New, SetHandler, Start.
type Agent struct {
	cfg     Config
	st      store.Store
	handler Handler

	callers    atomic.Int64 // API transactions waiting for or holding mu (background work yields to them)
	mu         sync.Mutex   // the one lock of a transaction; guards everything below
	conns      map[string]*conn
	queues     map[string]*queue
	reqs       map[string]*request
	outbox     map[string][]*outItem         // by connID, in Seq order
	jobs       map[string]*job               // SendMany bodies, until sealed for every connection
	sent       map[string]map[uint64]sentRec // connID → wire → what it was, until delivered
	spare      []*spare                      // queues made ahead (Tx.Reserve)
	nextSeq    uint64
	shared     map[string]*envelope.SharedKey // derived keys, by key material
	subscribed map[string]bool
	moved      map[string]bool      // queues another client took over (END), until restart
	deferred   map[string]time.Time // connID → when its held-back sync may start

	rmu     sync.Mutex // guards relays and closed (taken without or inside mu)
	relays  map[string]*relay
	closed  bool
	started atomic.Bool

	sealKick chan struct{}
	stats    struct{ conns, subs, outbox, msgs atomic.Int64 }

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// relay is one relay's client, its outbox dispatcher and the results of
// its transmissions waiting to be applied.
type relay struct {
	server  string
	c       RelayClient
	kick    chan struct{}
	results *fifo.Queue[result]
}

// New checks cfg and returns an agent that is not started yet.
func New(cfg Config) (*Agent, error) {
	if cfg.Store == nil {
		return nil, errf(CodeStore, "Config.Store is nil")
	}
	if len(cfg.Relays) == 0 {
		return nil, &Error{Code: CodeNoRelay}
	}
	if cfg.ReceiptDelay <= 0 {
		cfg.ReceiptDelay = 50 * time.Millisecond
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = 100 * time.Millisecond
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 5 * time.Second
	}
	if cfg.SealBatch <= 0 {
		cfg.SealBatch = 256
	}
	if cfg.ConnectWait <= 0 {
		cfg.ConnectWait = 10 * time.Second
	}
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = time.Minute
	}
	if cfg.SyncMaxInterval <= 0 {
		cfg.SyncMaxInterval = time.Hour
	}
	cfg.SyncMaxInterval = max(cfg.SyncMaxInterval, cfg.SyncInterval)
	if cfg.NewRelay == nil {
		cfg.NewRelay = defaultRelay(cfg)
	}
	if cfg.NewRelay == nil {
		return nil, errf(CodeNoRelay, "no relay client factory")
	}
	a := &Agent{cfg: cfg, st: cfg.Store,
		conns: map[string]*conn{}, queues: map[string]*queue{}, reqs: map[string]*request{},
		outbox: map[string][]*outItem{}, jobs: map[string]*job{}, sent: map[string]map[uint64]sentRec{},
		shared: map[string]*envelope.SharedKey{}, relays: map[string]*relay{}, subscribed: map[string]bool{},
		moved: map[string]bool{}, deferred: map[string]time.Time{},
		sealKick: make(chan struct{}, 1)}
	return a, nil
}

// SetHandler sets the event handler; call it before Start.
func (a *Agent) SetHandler(h Handler) { a.handler = h }

// Start loads the agent's state, subscribes every queue (all queues of a
// relay in one batched call) and runs the outbox. Goroutines run until
// Close.
func (a *Agent) Start(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.started.Load() {
		return errf(CodeBadState, "already started")
	}
	if err := a.load(ctx); err != nil {
		return err
	}
	mb, mk := RestoredMark()
	_, err := a.st.Get(ctx, mb, mk)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if a.cfg.Restored || err == nil {
		if err := a.resyncAll(ctx); err != nil {
			return err
		}
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.started.Store(true)
	a.wg.Add(2)
	go a.sealLoop()
	go a.receiptLoop()
	byServer := map[string][]Queue{}
	for _, q := range a.queues {
		byServer[q.Q.Server] = append(byServer[q.Q.Server], q.Q)
	}
	for _, s := range a.spare {
		byServer[s.Q.Server] = append(byServer[s.Q.Server], s.Q)
	}
	for srv, qs := range byServer {
		r := a.relay(srv)
		a.wg.Add(1)
		go a.subscribe(r, qs)
	}
	for _, list := range a.outbox {
		for _, it := range list {
			if it.Server != "" {
				a.relay(it.Server)
			}
		}
	}
	for _, c := range a.conns {
		if c.Snd != nil {
			a.relay(c.Snd.Server)
		}
	}
	a.relay(a.cfg.Relays[0])
	a.updateStats()
	a.kickAll()
	a.kickSeal()
	return nil
}

func (a *Agent) subscribe(r *relay, qs []Queue) {
	defer a.wg.Done()
	errs := r.c.Subscribe(a.ctx, qs)
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, q := range qs {
		if i < len(errs) && errs[i] != nil {
			a.logf("agent: subscribe %s: %v", r.server, errs[i])
			continue
		}
		a.subscribed[qkey(q.RecipientID)] = true
	}
	a.updateStats()
}

// Close stops the agent's goroutines and relay clients; the store stays open.
func (a *Agent) Close() error {
	if !a.started.CompareAndSwap(true, false) {
		return nil
	}
	a.cancel()
	a.rmu.Lock()
	a.closed = true
	for _, r := range a.relays {
		r.c.Close()
	}
	a.rmu.Unlock()
	a.wg.Wait()
	return nil
}

// Stats returns counters; safe to call anywhere, also inside a Handler.
func (a *Agent) Stats() Stats {
	return Stats{Connections: int(a.stats.conns.Load()), Subscriptions: int(a.stats.subs.Load()),
		PendingOutbox: int(a.stats.outbox.Load()), PendingMessages: int(a.stats.msgs.Load())}
}

func (a *Agent) updateStats() {
	n, m := 0, 0
	for _, l := range a.outbox {
		n += len(l)
		for _, it := range l {
			if it.Kind == outMsg {
				m++
			}
		}
	}
	a.stats.conns.Store(int64(len(a.conns)))
	a.stats.subs.Store(int64(len(a.subscribed)))
	a.stats.outbox.Store(int64(n))
	a.stats.msgs.Store(int64(m))
}

// relay returns the client of server, creating it (and its loops) on
// first use. Safe with or without a.mu held.
func (a *Agent) relay(server string) *relay {
	a.rmu.Lock()
	defer a.rmu.Unlock()
	if r := a.relays[server]; r != nil {
		return r
	}
	if a.closed {
		return &relay{server: server, c: closedRelay{}, kick: make(chan struct{}, 1), results: fifo.New[result](1)}
	}
	r := &relay{server: server, c: a.cfg.NewRelay(server), kick: make(chan struct{}, 1),
		results: fifo.New[result](maxInflight)}
	a.relays[server] = r
	a.wg.Add(3)
	go a.recvLoop(r)
	go a.dispatchLoop(r)
	go a.completeLoop(r)
	return r
}

func (a *Agent) kickAll() {
	a.rmu.Lock()
	defer a.rmu.Unlock()
	for _, r := range a.relays {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

func (a *Agent) kickSeal() {
	select {
	case a.sealKick <- struct{}{}:
	default:
	}
}

func (a *Agent) logf(format string, args ...any) {
	if a.cfg.Logf != nil {
		a.cfg.Logf(format, args...)
	}
}

func (a *Agent) checkStarted() error {
	if !a.started.Load() {
		return &Error{Code: CodeNotStarted}
	}
	return nil
}

// MaxMessage returns the largest body Send and SendMany accept (the
// constant MaxMessage): the chat layer sizes its bodies by it.
func (a *Agent) MaxMessage() int { return MaxMessage }
