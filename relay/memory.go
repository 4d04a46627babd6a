package relay

import (
	"runtime"
	"time"
)

// Returning memory. A session holding many subscriptions takes memory
// (its map, the subscription table's entries, its queues' records); when
// it closes, that is garbage, but an idle relay allocates nothing, so no
// collection runs to free it (the runtime forces one only every two
// minutes), and what is not freed is not returned to the system. After
// such a session closes, the relay runs a collection, at most every
// memoryEvery; the runtime's background scavenger then returns the freed
// pages over the following seconds to minutes. (debug.FreeOSMemory would
// return them at once, but pages returned must be faulted in again as the
// relay grows back: a client's resubscription of 10,000 queues, whose old
// session closes meanwhile, took up to 1.6 times as long with it;
// docs/relay-benchmarks.md.)
const (
	bigSession  = 4096 // subscriptions that make a session's close worth a collection
	memoryEvery = 30 * time.Second
)

// sessionClosed is called with the subscriptions a closing session held.
func (s *Server) sessionClosed(subs int) {
	if subs >= bigSession {
		select {
		case s.freeMem <- struct{}{}:
		default: // one is pending: it covers this session too
		}
	}
}

// memoryLoop returns memory when asked, at most every memoryEvery.
func (s *Server) memoryLoop() {
	defer s.wg.Done()
	for {
		select {
		case <-s.freeMem:
		case <-s.stop:
			return
		}
		select { // let the closing session's goroutines end: what they still hold would stay
		case <-time.After(time.Second):
		case <-s.stop:
			return
		}
		start := time.Now()
		runtime.GC()
		s.log.Debug("collected after a large session closed", "took", time.Since(start))
		select {
		case <-time.After(memoryEvery):
		case <-s.stop:
			return
		}
	}
}
