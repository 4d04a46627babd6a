package relay

import (
	"runtime/debug"
	"time"
)

// Returning memory. A session holding many subscriptions takes memory
// (its map, the subscription table's entries, its queues' records);
// when it closes, that is garbage, but an idle relay allocates nothing,
// so no collection runs to free it, and the runtime returns freed pages
// to the system only gradually. After such a session closes, the relay
// collects and returns free memory at once, at most every memoryEvery.
const (
	bigSession  = 4096 // subscriptions that make a session's close worth a collection
	memoryEvery = 10 * time.Second
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
		debug.FreeOSMemory()
		select {
		case <-time.After(memoryEvery):
		case <-s.stop:
			return
		}
	}
}
