package relay

import (
	"runtime"
	"runtime/debug"
	"time"
)

// Returning memory. A session holding many subscriptions takes memory
// (its map, the subscription table's entries, its queues' records); when
// it closes, that is garbage, but an idle relay allocates nothing, so no
// collection runs to free it (the runtime forces one only every two
// minutes), and what is not freed is not returned to the system. After
// such a session closes, the relay runs a collection, at most every
// memoryEvery. The runtime's background scavenger returns freed pages at
// its own pace, and only down to the heap goal the collection set: on a
// loaded machine half of a closed 20,000-queue session's memory was still
// held two minutes later (TestAttackMemoryReturned). So once memoryQuiet
// has passed without a large session growing back, the relay returns the
// freed pages at once (debug.FreeOSMemory). Not at once after the close:
// pages returned must be faulted in again as the relay grows back, and a
// client's resubscription of 10,000 queues, whose old session closes
// meanwhile, took up to 1.6 times as long with it (docs/relay-benchmarks.md);
// the quiet period lets such a resubscription finish first.
const (
	bigSession  = 4096 // subscriptions that make a session's close worth a collection
	memoryEvery = 30 * time.Second
	memoryQuiet = 5 * time.Second
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
		held := s.subs.count()
		select {
		case <-time.After(memoryQuiet):
		case <-s.stop:
			return
		}
		if s.subs.count() < held+bigSession { // no large session grew meanwhile
			start = time.Now()
			debug.FreeOSMemory()
			s.log.Debug("returned freed memory", "took", time.Since(start))
		}
		select {
		case <-time.After(memoryEvery):
		case <-s.stop:
			return
		}
	}
}
