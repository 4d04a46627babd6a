package relay

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// RegisterFlags defines the flags of the limits on fs (cmd/relay and
// cmd/serve share them); their defaults are the Default constants, and
// 0 means "the default" where a flag's help says so.
func (l *Limits) RegisterFlags(fs *flag.FlagSet) {
	fs.DurationVar(&l.RequestTimeout, "request-timeout", DefaultRequestTimeout, "deadline for one HTTP request, headers and body")
	fs.DurationVar(&l.HandshakeTimeout, "handshake-timeout", DefaultHandshakeTimeout, "deadline from a WebSocket upgrade to the client hello")
	fs.IntVar(&l.MaxConns, "max-conns", 0, "open connections in all (0: the descriptor limit less a reserve, at most 16384)")
	fs.IntVar(&l.MaxConnsPerAddr, "max-conns-per-ip", DefaultMaxConnsPerAddr, "open connections per client address (IPv6: per /64)")
	fs.IntVar(&l.NewBurst, "new-burst", DefaultNewBurst, "queues one WebSocket session may create at once (then RATE)")
	fs.Float64Var(&l.NewRate, "new-rate", DefaultNewRate, "queues per second a session may create after its burst")
	fs.IntVar(&l.NewBurstPerAddr, "new-burst-per-ip", DefaultNewBurstPerAddr, "queues all sessions of one client address may create at once")
	fs.Float64Var(&l.NewRatePerAddr, "new-rate-per-ip", DefaultNewRatePerAddr, "queues per second one client address may create after its burst")
	fs.IntVar(&l.MaxSubs, "max-subs", DefaultMaxSubs, "subscriptions one session may hold (then LIMIT)")
	fs.IntVar(&l.MaxSubsPerAddr, "max-subs-per-ip", DefaultMaxSubsPerAddr, "subscriptions all sessions of one client address may hold")
	l.MaxStore, l.MinFreeDisk = DefaultMaxStore, DefaultMinFreeDisk // before Var: its default is shown
	fs.Var((*byteSize)(&l.MaxStore), "max-store", "store size above which NEW and SEND get QUOTA (e.g. 500MB; -1: no limit)")
	fs.Var((*byteSize)(&l.MinFreeDisk), "min-free-disk", "free disk below which NEW and SEND get QUOTA (-1: no limit)")
	fs.DurationVar(&l.QueueExpiry, "queue-expiry", DefaultQueueExpiry, "delete queues neither subscribed, read nor sent to for this long")
	fs.StringVar(&l.ClientIPHeader, "client-ip-header", "", "behind a trusted reverse proxy: the header it puts the client address in "+
		"(X-Forwarded-For: its last entry; CF-Connecting-IP; X-Real-IP). Only when every request comes through it")
}

// byteSize is a flag value of bytes: a number with an optional unit (B,
// KB, MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in powers of 1024).
type byteSize int64

var units = []struct {
	suffix string
	n      int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}

func (b *byteSize) String() string {
	for _, u := range units[:4] {
		if n := int64(*b); n != 0 && n%u.n == 0 && (n/u.n)%1024 != 0 {
			return strconv.FormatInt(n/u.n, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Set(s string) error {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.n
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f*float64(mult) > 1<<62 {
		return fmt.Errorf("not a size: %q (e.g. 500MB, 8GiB, -1)", s)
	}
	*b = byteSize(f * float64(mult))
	return nil
}
