package limit

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// How often a Watermark measures, and reminds the log that it refuses.
const (
	MeasureEvery = time.Second
	remindEvery  = 10 * time.Minute
)

// Watermark refuses writes (the relay answers QUOTA) while a store uses
// more than MaxStore bytes or its directory's file system has less than
// MinFreeDisk free, so one client cannot fill the disk. Nothing already
// accepted is touched, and what frees space goes on. It resumes below 95%
// of MaxStore and above 105% of MinFreeDisk, so it does not flap at the
// line; every change is logged with its reason (never with a client).
//
// Between measurements (every second) the bytes of accepted writes are
// added to the last measurement, so a fast writer cannot overshoot by a
// second's worth of writes. A store whose Used counts each write as soon
// as it lands (the file relay's) holds its writes in flight instead
// (Hold, then Landed or Release): a write taking longer than a
// measurement then still counts until it shows in Used.
type Watermark struct {
	MaxStore, MinFreeDisk int64 // <= 0: that limit is off
	Dir                   string
	Used                  func() (int64, error) // bytes the store uses; nil: unknown
	Log                   *slog.Logger
	// What is refused ("NEW and SEND"), and the flags of the two limits
	// ("-max-store", "-min-free-disk"), for the log.
	What, MaxFlag, FreeFlag string

	refusing atomic.Bool
	used     atomic.Int64 // at the last measurement (-1: unknown)
	free     atomic.Int64 // at the last measurement (-1: unknown)
	added    atomic.Int64 // estimated bytes written since
	pending  atomic.Int64 // bytes held by writes in flight (Hold)
	init     sync.Once
	mu       sync.Mutex // guards reason, since, logged
	reason   string
	since    time.Time
	logged   time.Time
}

func (w *Watermark) start() {
	w.init.Do(func() {
		w.used.Store(-1)
		w.free.Store(-1)
		if w.Log == nil {
			w.Log = slog.New(slog.DiscardHandler)
		}
	})
}

// Reserve counts n more bytes for a write about to happen, or reports
// false (refuse it) when they do not fit. Reserving before the write
// keeps many writes in flight at once from all passing the check. A
// reservation whose write then fails is given back (Unreserve).
func (w *Watermark) Reserve(n int64) bool {
	return w.take(&w.added, n)
}

// Hold is Reserve for a write that Landed or Release will end: the bytes
// count until then, whatever measurements come between.
func (w *Watermark) Hold(n int64) bool {
	return w.take(&w.pending, n)
}

// Landed ends a Hold whose write is now in Used: it counts as written
// since the last measurement (so, at worst, twice until the next one,
// never not at all).
func (w *Watermark) Landed(n int64) {
	w.added.Add(n)
	w.pending.Add(-n)
}

// Release ends a Hold whose write did not happen.
func (w *Watermark) Release(n int64) { w.pending.Add(-n) }

func (w *Watermark) take(c *atomic.Int64, n int64) bool {
	w.start()
	if w.refusing.Load() {
		return false
	}
	c.Add(n)
	if reason := w.over(w.used.Load(), w.free.Load(), w.added.Load()+w.pending.Load(), 1); reason != "" {
		c.Add(-n)
		w.trip(reason)
		return false
	}
	return true
}

// Unreserve gives back a reservation whose write did not happen.
func (w *Watermark) Unreserve(n int64) { w.added.Add(-n) }

// Refusing reports whether writes are refused now.
func (w *Watermark) Refusing() bool { return w.refusing.Load() }

// over returns why the store is over its limits (scaled by f: 1 to
// refuse, the hysteresis factors to resume), or "".
func (w *Watermark) over(used, free, added int64, f float64) string {
	if w.MaxStore > 0 && used >= 0 && float64(used+added) > float64(w.MaxStore)*min(f, 1/f) {
		return "store above " + w.MaxFlag
	}
	if w.MinFreeDisk > 0 && free >= 0 && float64(free-added) < float64(w.MinFreeDisk)*max(f, 1/f) {
		return "free disk below " + w.FreeFlag
	}
	return ""
}

func (w *Watermark) trip(reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refusing.Swap(true) {
		return
	}
	w.reason, w.since, w.logged = reason, time.Now(), time.Now()
	extra := w.added.Load() + w.pending.Load()
	w.Log.Warn("store watermark reached: refusing "+w.What+" with QUOTA until space is freed (nothing stored is lost)",
		"reason", reason, "used_bytes", w.used.Load()+extra, "max_store", w.MaxStore,
		"free_disk_bytes", w.free.Load()-extra, "min_free_disk", w.MinFreeDisk)
}

// Measure takes a new measurement and leaves the refusing state when the
// store is back under the resume marks.
func (w *Watermark) Measure() {
	w.start()
	before := w.added.Load()
	used, free := int64(-1), FreeBytes(w.Dir)
	if w.Used != nil {
		if u, err := w.Used(); err == nil {
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
	if w.over(used, free, w.added.Load()+w.pending.Load(), 0.95) == "" {
		w.refusing.Store(false)
		w.Log.Warn("store watermark: accepting "+w.What+" again", "refused_for", time.Since(w.since).Round(time.Second),
			"used_bytes", used, "free_disk_bytes", free)
	} else if time.Since(w.logged) >= remindEvery {
		w.logged = time.Now()
		w.Log.Warn("store watermark: still refusing "+w.What, "reason", w.reason,
			"for", time.Since(w.since).Round(time.Second), "used_bytes", used, "free_disk_bytes", free)
	}
}

// Watch measures every MeasureEvery until stop is closed.
func (w *Watermark) Watch(stop <-chan struct{}) {
	if w.Used == nil && w.Dir == "" {
		return
	}
	t := time.NewTicker(MeasureEvery)
	defer t.Stop()
	for {
		w.Measure()
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}
