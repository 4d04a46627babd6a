package files

import (
	"flag"
	"time"

	"github.com/sxweb/sxweb/relay/limit"
)

// Defaults of Config and Limits, chosen for a public relay
// (docs/file-protocol.md, "Limits"). Each is a flag (RegisterFlags).
const (
	DefaultExpiry          = 48 * time.Hour
	DefaultRequestTimeout  = 20 * time.Second
	DefaultMinRate         = 32 << 10 // bytes/s: a 4 MiB chunk may take 128 s more than a small request
	DefaultMaxConnsPerAddr = 128
	DefaultNewBurstPerAddr = 1000 // chunk creations (and additions of recipients) at once: a 4 GB file
	DefaultNewRatePerAddr  = 4.0  // ... and per second after: 16 MB/s of new 4 MiB chunks
	DefaultMaxHeldPerAddr  = 4 << 30
	DefaultMaxStore        = 32 << 30
	DefaultMinFreeDisk     = 1 << 30
	DefaultMaxRecipients   = 4096
	// Uploads in progress: each holds a file open besides its connection,
	// so they are capped below the descriptors the connections may take.
	// A client uploads one chunk at a time; a few files at once are a few.
	DefaultMaxUploads        = 256
	DefaultMaxUploadsPerAddr = 8

	// maxJSON bounds the body of a POST: 1,024 recipient keys in base64
	// are 47 KB.
	maxJSON = 128 << 10
	// recipientCost is what a recipient id and key take in the metadata,
	// counted against an address's held bytes and the watermark.
	recipientCost = 128
	// chunkCost is the same for a chunk's own record.
	chunkCost = 256
)

// Limits bound what one client address and all clients together can take
// of the file relay. Zero values take the defaults; a negative value
// turns that limit off (tests, benchmarks, a private relay).
//
// What is counted per address lives in memory only: addresses are never
// stored or logged, and nothing on disk says which address uploaded a
// chunk.
type Limits struct {
	// RequestTimeout is the deadline of a request without a chunk; one
	// with a chunk (PUT, GET) gets MinRate more: size/MinRate seconds.
	RequestTimeout time.Duration
	MinRate        int64 // bytes per second below which a chunk's transfer is cut
	// MaxConnsPerAddr bounds the requests of one address in progress.
	MaxConnsPerAddr int
	// NewBurstPerAddr and NewRatePerAddr bound the chunks one address
	// creates (POST /new) and the recipient additions (POST /add): at once,
	// then per second (LIMIT).
	NewBurstPerAddr int
	NewRatePerAddr  float64
	// MaxHeldPerAddr bounds the bytes of the chunks (their full size from
	// creation, uploaded or not) and recipients an address's requests
	// created that are still held (LIMIT).
	MaxHeldPerAddr int64
	// MaxStore and MinFreeDisk: the store watermark (QUOTA to POST /new,
	// POST /add and PUT above MaxStore bytes in use or below MinFreeDisk
	// free on the data directory's file system).
	MaxStore    int64
	MinFreeDisk int64
	// MaxRecipients bounds one chunk's recipients (LIMIT).
	MaxRecipients int
	// MaxUploads and MaxUploadsPerAddr bound the uploads (PUT) in
	// progress, in all and of one address (LIMIT): each holds a file
	// descriptor for its spool file besides its connection's.
	MaxUploads        int
	MaxUploadsPerAddr int
	// ClientIPHeader: as relay.Limits.ClientIPHeader (a trusted proxy's
	// header with the client's address; empty: the TCP peer).
	ClientIPHeader string
}

func orDefault[T int | int64 | float64 | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

func (l Limits) withDefaults() Limits {
	orDefault(&l.RequestTimeout, DefaultRequestTimeout)
	orDefault(&l.MinRate, DefaultMinRate)
	orDefault(&l.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	orDefault(&l.NewBurstPerAddr, DefaultNewBurstPerAddr)
	orDefault(&l.NewRatePerAddr, DefaultNewRatePerAddr)
	orDefault(&l.MaxHeldPerAddr, DefaultMaxHeldPerAddr)
	orDefault(&l.MaxStore, DefaultMaxStore)
	orDefault(&l.MinFreeDisk, DefaultMinFreeDisk)
	orDefault(&l.MaxRecipients, DefaultMaxRecipients)
	orDefault(&l.MaxUploads, DefaultMaxUploads)
	orDefault(&l.MaxUploadsPerAddr, DefaultMaxUploadsPerAddr)
	return l
}

// Unlimited returns Limits with every count, rate and store limit off
// (deadlines keep their defaults; MaxRecipients is the protocol's 4,096).
func Unlimited() Limits {
	return Limits{MaxConnsPerAddr: -1, NewBurstPerAddr: -1, MaxHeldPerAddr: -1, MaxStore: -1, MinFreeDisk: -1,
		MaxUploads: -1, MaxUploadsPerAddr: -1}
}

// on reports whether a limit is set (not turned off).
func on[T int | int64 | float64 | time.Duration](v T) bool { return v > 0 }

// RegisterFlags defines the file relay's own flags on fs: -files-expiry
// into expiry and the -files-* limits. The limits a command shares with
// the message relay (-request-timeout, -max-conns-per-ip, -min-free-disk,
// -client-ip-header) are its to copy in after parsing (Shared).
func (l *Limits) RegisterFlags(fs *flag.FlagSet, expiry *time.Duration) {
	fs.DurationVar(expiry, "files-expiry", DefaultExpiry, "file relay: chunks are deleted this long after they were created")
	l.MinRate, l.MaxHeldPerAddr, l.MaxStore = DefaultMinRate, DefaultMaxHeldPerAddr, DefaultMaxStore // before Var: the default is shown
	fs.Var((*limit.ByteSize)(&l.MinRate), "files-min-rate", "file relay: bytes per second below which a chunk's upload or download is cut (its deadline: -request-timeout + size / this)")
	fs.IntVar(&l.NewBurstPerAddr, "files-new-burst-per-ip", DefaultNewBurstPerAddr, "file relay: chunks (and additions of recipients) one client address may create at once (then LIMIT)")
	fs.Float64Var(&l.NewRatePerAddr, "files-new-rate-per-ip", DefaultNewRatePerAddr, "file relay: ... and per second after its burst")
	fs.Var((*limit.ByteSize)(&l.MaxHeldPerAddr), "files-max-per-ip", "file relay: bytes of chunks one client address's requests created that may be held at once (LIMIT)")
	fs.Var((*limit.ByteSize)(&l.MaxStore), "files-max-store", "file relay: store size above which new chunks and uploads get QUOTA (-1: no limit)")
	fs.IntVar(&l.MaxRecipients, "files-max-recipients", DefaultMaxRecipients, "file relay: recipients of one chunk (LIMIT)")
	fs.IntVar(&l.MaxUploads, "files-max-uploads", DefaultMaxUploads, "file relay: uploads in progress in all (LIMIT; each holds a file open)")
	fs.IntVar(&l.MaxUploadsPerAddr, "files-max-uploads-per-ip", DefaultMaxUploadsPerAddr, "file relay: uploads in progress of one client address (LIMIT)")
}

// Shared sets the limits the file relay shares with the message relay of
// the same command (its flags -request-timeout, -max-conns-per-ip,
// -min-free-disk and -client-ip-header).
func (l *Limits) Shared(requestTimeout time.Duration, maxConnsPerAddr int, minFreeDisk int64, clientIPHeader string) {
	l.RequestTimeout, l.MaxConnsPerAddr, l.MinFreeDisk, l.ClientIPHeader = requestTimeout, maxConnsPerAddr, minFreeDisk, clientIPHeader
}
