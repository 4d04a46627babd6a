package relay

import (
	"time"
)

// Defaults of Limits, chosen for a public relay (docs/relay-protocol.md,
// "Limits"). Each is a flag of cmd/relay.
const (
	DefaultRequestTimeout   = 20 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxConnsPerAddr  = 128
	DefaultNewBurst         = 2000 // a browser joining a 1,000-member group creates ~1,000 queues: twice that, for margin
	DefaultNewRate          = 1.0  // per second, after the burst
	DefaultNewBurstPerAddr  = 4000
	DefaultNewRatePerAddr   = 2.0
	DefaultMaxSubs          = 50_000
	DefaultMaxSubsPerAddr   = 100_000
	DefaultMaxStore         = 8 << 30
	DefaultMinFreeDisk      = 1 << 30
	DefaultQueueExpiry      = 12 * 7 * 24 * time.Hour
	// MaxConns defaults to the descriptor limit less a reserve (maxConnsAuto).
	maxConnsCap = 16384 // ~26 KB per idle WebSocket session: ~420 MB at the cap
)

// Limits bound what one session, one client address and all clients
// together can take of the relay. Zero values take the defaults; a
// negative value turns that limit off (tests, benchmarks, a private relay).
//
// What is counted per client address lives in memory only, for as long
// as the address has connections or an unspent rate; addresses are never
// stored, logged or tied to queues.
type Limits struct {
	RequestTimeout   time.Duration // one HTTP request, headers and body
	HandshakeTimeout time.Duration // WebSocket: from the upgrade to the client hello
	MaxConns         int           // open connections, all clients (default: from the descriptor limit)
	MaxConnsPerAddr  int           // open connections, requests and WebSocket sessions of one client address

	NewBurst        int     // queues one WebSocket session may create at once
	NewRate         float64 // ... and per second after that
	NewBurstPerAddr int     // the same for all sessions and POSTs of one client address
	NewRatePerAddr  float64

	MaxSubs        int // subscriptions one session holds (NEW subscribes its session)
	MaxSubsPerAddr int // subscriptions all sessions of one client address hold

	MaxStore    int64 // bytes of store in use above which NEW and SEND get QUOTA
	MinFreeDisk int64 // free bytes on the data directory's file system below which the same

	QueueExpiry time.Duration // a queue neither subscribed, read nor sent to this long is deleted

	// ClientIPHeader names the header a trusted reverse proxy puts the
	// client's address in (X-Forwarded-For: the last address; or e.g.
	// CF-Connecting-IP, X-Real-IP). Set it only when every request comes
	// through that proxy: then connections are not limited per TCP peer
	// (the peer is the proxy). Empty: the TCP peer is the client.
	ClientIPHeader string
}

func orDefault[T int | int64 | float64 | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// withDefaults fills in the defaults.
func (l Limits) withDefaults() Limits {
	orDefault(&l.RequestTimeout, DefaultRequestTimeout)
	orDefault(&l.HandshakeTimeout, DefaultHandshakeTimeout)
	orDefault(&l.MaxConns, maxConnsAuto())
	orDefault(&l.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	orDefault(&l.NewBurst, DefaultNewBurst)
	orDefault(&l.NewRate, DefaultNewRate)
	orDefault(&l.NewBurstPerAddr, DefaultNewBurstPerAddr)
	orDefault(&l.NewRatePerAddr, DefaultNewRatePerAddr)
	orDefault(&l.MaxSubs, DefaultMaxSubs)
	orDefault(&l.MaxSubsPerAddr, DefaultMaxSubsPerAddr)
	orDefault(&l.MaxStore, DefaultMaxStore)
	orDefault(&l.MinFreeDisk, DefaultMinFreeDisk)
	orDefault(&l.QueueExpiry, DefaultQueueExpiry)
	return l
}

// Unlimited returns Limits with every count, rate and store limit off
// (timeouts and queue expiry keep their defaults): for benchmarks and
// tests that measure something else.
func Unlimited() Limits {
	return Limits{MaxConns: -1, MaxConnsPerAddr: -1, NewBurst: -1, NewBurstPerAddr: -1,
		MaxSubs: -1, MaxSubsPerAddr: -1, MaxStore: -1, MinFreeDisk: -1}
}

// on reports whether a limit is set (not turned off).
func on[T int | int64 | float64 | time.Duration](v T) bool { return v > 0 }

// maxConnsFor is the default connection limit under a descriptor limit of
// n: what leaves a reserve for the store, the listener and logs, capped
// by memory.
func maxConnsFor(n uint64) int {
	reserve := max(32, n/8)
	if n <= reserve+16 {
		return 16
	}
	return int(min(n-reserve, maxConnsCap))
}
