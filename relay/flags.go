package relay

import (
	"flag"

	"github.com/sxweb/sxweb/relay/limit"
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
	fs.Var((*limit.ByteSize)(&l.MaxStore), "max-store", "store size above which NEW and SEND get QUOTA (e.g. 500MB; -1: no limit)")
	fs.Var((*limit.ByteSize)(&l.MinFreeDisk), "min-free-disk", "free disk below which NEW and SEND get QUOTA (-1: no limit)")
	fs.DurationVar(&l.QueueExpiry, "queue-expiry", DefaultQueueExpiry, "delete queues neither subscribed, read nor sent to for this long")
	fs.StringVar(&l.ClientIPHeader, "client-ip-header", "", "behind a trusted reverse proxy: the header it puts the client address in "+
		"(X-Forwarded-For: its last entry; CF-Connecting-IP; X-Real-IP). Only when every request comes through it")
}
