package relay

import (
	"context"
	"runtime"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// maxLinger bounds how long the writer holds a ready response back to
// coalesce it with others (see linger).
const maxLinger = 10 * time.Millisecond

// Output coalescing. A session's transmissions run on the worker pool and
// each queues its response as it completes; a writer that wrote as soon as
// anything was queued would send one frame per response. Instead the
// writer lingers while the session has work that is running or runnable
// (busy > 0): a client frame being split, transmissions queued for or
// running on a worker. Work blocked on a store commit (fsync) is not busy,
// so responses are never held for a commit, and a response with nothing
// else running is written at once: a job stops counting as runnable just
// before it queues its last response (Session.run).

// Busy does not see two kinds of output that also come in bursts: after a
// group commit many transmissions waiting for it are released at once
// (their responses, and the MSGs their SENDs push, follow together), and
// pushed events are mostly caused by other sessions' work (a SEND's MSG to
// the recipient's session). So when nothing is busy but the session has
// transmissions waiting for a commit, or an event is queued, the writer
// yields its processor once (runtime.Gosched) before taking the frame:
// work already released runs first and joins the frame. A lone response
// (nothing else in flight, no event) is written without the yield.

// working marks one unit of the session's work as runnable.
func (ss *Session) working() { ss.busy.Add(1) }

// idle marks one unit of work finished or blocked; the writer is woken when
// nothing runnable is left.
func (ss *Session) idle() {
	if ss.busy.Add(-1) == 0 {
		ss.wake()
	}
}

// wake wakes the writer (NextFrame).
func (ss *Session) wake() {
	select {
	case ss.notify <- struct{}{}:
	default:
	}
}

// commit runs a store write that waits for its group commit; meanwhile
// the transmission does not count as runnable.
func (ss *Session) commit(write func() error) error {
	ss.committing.Add(1)
	ss.idle()
	defer func() {
		ss.working()
		ss.committing.Add(-1)
	}()
	return write()
}

// linger waits, with output queued, while the session has runnable work,
// until that work is done or blocked, a full frame is queued, the session
// closes, or maxLinger has passed.
func (ss *Session) linger(ctx context.Context) {
	if ss.busy.Load() == 0 {
		if ss.committing.Load() > 0 || ss.eventQueued() {
			runtime.Gosched()
		}
		return
	}
	if !ss.lingerable() {
		return
	}
	t := time.NewTimer(maxLinger)
	defer t.Stop()
	for ss.busy.Load() > 0 && ss.lingerable() {
		select {
		case <-ss.notify:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// eventQueued reports whether a pushed event (MSG, END, DELD) is queued.
func (ss *Session) eventQueued() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.events > 0 && !ss.closed
}

// isEvent reports whether t is a pushed event rather than a response.
func isEvent(t *wire.Transmission) bool {
	return t.CorrID == nil && (t.Code == wire.MSG || t.Code == wire.END || t.Code == wire.DELD)
}

// lingerable reports whether output is queued, less than a full frame of
// it, and the session is open.
func (ss *Session) lingerable() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.out) > 0 && ss.outBytes < wire.MaxFrame-1 && !ss.closed
}
