package relayclient

import "sync"

// eventQueue is an unbounded FIFO feeding a channel, so the connection's
// reader never blocks on a slow consumer.
type eventQueue struct {
	mu     sync.Mutex
	q      []Event
	wake   chan struct{}
	out    chan Event
	closed chan struct{}
	once   sync.Once
}

func newEventQueue() *eventQueue {
	e := &eventQueue{wake: make(chan struct{}, 1), out: make(chan Event), closed: make(chan struct{})}
	go e.pump()
	return e
}

func (e *eventQueue) push(ev Event) {
	e.mu.Lock()
	e.q = append(e.q, ev)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *eventQueue) pump() {
	defer close(e.out)
	for {
		e.mu.Lock()
		var ev Event
		if len(e.q) > 0 {
			ev = e.q[0]
			e.q[0] = nil
			e.q = e.q[1:]
		}
		e.mu.Unlock()
		if ev == nil {
			select {
			case <-e.wake:
				continue
			case <-e.closed:
				return
			}
		}
		select {
		case e.out <- ev:
		case <-e.closed:
			return
		}
	}
}

func (e *eventQueue) close() { e.once.Do(func() { close(e.closed) }) }
