package relay

import (
	"sync"
	"sync/atomic"
	"time"
)

// Estimated store bytes a queue record with its sender index entry
// takes, until the next measurement corrects the estimate (msgCost for a
// message).
const (
	queueEstimate = 512
	measureEvery  = time.Second
	remindEvery   = 10 * time.Minute
	page          = 4096 // bbolt's page size on Linux
)

// msgCost estimates what a message with a body of n bytes takes in the
// store file: with its id, timestamp and key, a large one fills whole
// pages of its own (a 16 KiB body takes five); small ones share leaf
// pages, which bbolt fills to about half when it splits them.
func msgCost(n int) int {
	v := n + 64
	if v > page/4 {
		return (v + page - 1) / page * page
	}
	return 2 * v
}

// usager is a store that can tell how much of its file is in use
// (store.Bolt).
type usager interface {
	Usage() (used, size int64, err error)
}

// watermark refuses NEW and SEND with QUOTA while the store uses more than
// MaxStore bytes or the data directory's file system has less than
// MinFreeDisk free, so one client cannot fill the disk. Nothing already
// accepted is touched, and everything that frees space (ACK, DEL, GET,
// expiry) goes on. It resumes below 95% of MaxStore and above 105% of
// MinFreeDisk, so it does not flap at the line; every change is logged
// with its reason.
//
// Between measurements (every second) the bytes of accepted writes are
// added to the last measurement, so a fast writer cannot overshoot by a
// second's worth of writes.
type watermark struct {
	s        *Server
	st       usager // nil: store size unknown
	dir      string // "": free space unknown
	refusing atomic.Bool
	used     atomic.Int64 // at the last measurement (-1: unknown)
	free     atomic.Int64 // at the last measurement (-1: unknown)
	added    atomic.Int64 // estimated bytes written since
	mu       sync.Mutex   // guards reason, since, logged
	reason   string
	since    time.Time
	logged   time.Time
}

func newWatermark(s *Server) *watermark {
	w := &watermark{s: s, dir: s.cfg.DataDir}
	w.st, _ = s.cfg.Store.(usager)
	w.used.Store(-1)
	w.free.Store(-1)
	return w
}

// reserve counts n more bytes for a NEW or SEND about to be written, or
// reports false (refuse it: QUOTA) when they do not fit. Reserving before
// the write keeps many writes in flight at once from all passing the
// check. A reservation whose write then fails is given back (unreserve).
func (w *watermark) reserve(n int) bool {
	if w.refusing.Load() {
		return false
	}
	added := w.added.Add(int64(n))
	if reason := w.over(w.used.Load(), w.free.Load(), added, 1); reason != "" {
		w.added.Add(int64(-n))
		w.trip(reason)
		return false
	}
	return true
}

// unreserve gives back a reservation whose write did not happen.
func (w *watermark) unreserve(n int) { w.added.Add(int64(-n)) }

// over returns why the store is over its limits (scaled by f: 1 to
// refuse, the hysteresis factors to resume), or "".
func (w *watermark) over(used, free, added int64, f float64) string {
	lim := &w.s.lim
	if on(lim.MaxStore) && used >= 0 && float64(used+added) > float64(lim.MaxStore)*min(f, 1/f) {
		return "store above -max-store"
	}
	if on(lim.MinFreeDisk) && free >= 0 && float64(free-added) < float64(lim.MinFreeDisk)*max(f, 1/f) {
		return "free disk below -min-free-disk"
	}
	return ""
}

func (w *watermark) trip(reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refusing.Swap(true) {
		return
	}
	w.reason, w.since, w.logged = reason, time.Now(), time.Now()
	w.s.log.Warn("store watermark reached: refusing NEW and SEND with QUOTA until space is freed (nothing stored is lost)",
		"reason", reason, "used_bytes", w.used.Load()+w.added.Load(), "max_store", w.s.lim.MaxStore,
		"free_disk_bytes", w.free.Load()-w.added.Load(), "min_free_disk", w.s.lim.MinFreeDisk)
}

// measure takes a new measurement and leaves the refusing state when the
// store is back under the resume marks.
func (w *watermark) measure() {
	before := w.added.Load()
	used, free := int64(-1), freeBytes(w.dir)
	if w.st != nil {
		if u, _, err := w.st.Usage(); err == nil {
			used = u
		}
	}
	w.used.Store(used)
	w.free.Store(free)
	w.added.Add(-before) // what was written meanwhile stays counted
	if !w.refusing.Load() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.over(used, free, w.added.Load(), 0.95) == "" {
		w.refusing.Store(false)
		w.s.log.Warn("store watermark: accepting NEW and SEND again", "refused_for", time.Since(w.since).Round(time.Second),
			"used_bytes", used, "free_disk_bytes", free)
	} else if time.Since(w.logged) >= remindEvery {
		w.logged = time.Now()
		w.s.log.Warn("store watermark: still refusing NEW and SEND", "reason", w.reason,
			"for", time.Since(w.since).Round(time.Second), "used_bytes", used, "free_disk_bytes", free)
	}
}

// watch measures every second until the server stops.
func (w *watermark) watch() {
	defer w.s.wg.Done()
	if w.st == nil && w.dir == "" {
		return
	}
	t := time.NewTicker(measureEvery)
	defer t.Stop()
	for {
		w.measure()
		select {
		case <-t.C:
		case <-w.s.stop:
			return
		}
	}
}
