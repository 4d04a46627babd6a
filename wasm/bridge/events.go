//go:build js && wasm

package bridge

import (
	"fmt"
	"os"
	"sync"

	"github.com/hack-pad/safejs"
)

// MaxPending is how many events wait for a sink before the oldest are
// dropped (counted in an "error" event once a sink is set).
const MaxPending = 10000

// Events delivers events to one JS sink function, in Emit order, from one
// goroutine. Events emitted before a sink is set wait for it.
type Events struct {
	mu      sync.Mutex
	sink    safejs.Value
	hasSink bool
	queue   []map[string]any
	dropped int
	wake    chan struct{}
	stop    chan struct{}
	once    sync.Once
}

// NewEvents starts the delivery goroutine.
func NewEvents() *Events {
	e := &Events{wake: make(chan struct{}, 1), stop: make(chan struct{})}
	go e.loop()
	return e
}

// SetSink replaces the sink; a non-function clears it.
func (e *Events) SetSink(fn safejs.Value) {
	e.mu.Lock()
	e.sink, e.hasSink = fn, fn.Type() == safejs.TypeFunction
	e.mu.Unlock()
	e.signal()
}

// Emit queues one event; ev must have a "type" field.
func (e *Events) Emit(ev map[string]any) {
	e.mu.Lock()
	if len(e.queue) >= MaxPending {
		e.queue = e.queue[1:]
		e.dropped++
	}
	e.queue = append(e.queue, ev)
	e.mu.Unlock()
	e.signal()
}

// Stop ends delivery; queued events are dropped.
func (e *Events) Stop() { e.once.Do(func() { close(e.stop) }) }

func (e *Events) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *Events) loop() {
	for {
		select {
		case <-e.wake:
		case <-e.stop:
			return
		}
		for e.deliverOne() {
		}
	}
}

// deliverOne sends the oldest event to the sink; false when there is
// nothing to do (no sink or empty queue).
func (e *Events) deliverOne() (more bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "bridge: event delivery panic: %v\n", r)
			more = true
		}
	}()
	e.mu.Lock()
	if !e.hasSink || (len(e.queue) == 0 && e.dropped == 0) {
		e.mu.Unlock()
		return false
	}
	sink := e.sink
	var ev map[string]any
	if e.dropped > 0 {
		ev = map[string]any{"type": "error", "code": "EVENTS_DROPPED", "message": fmt.Sprintf("%d events dropped while no sink was set", e.dropped)}
		e.dropped = 0
	} else {
		ev = e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
	}
	e.mu.Unlock()
	jv, err := ToJS(ev)
	if err == nil {
		_, err = sink.Invoke(jv)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bridge: event sink: %v\n", err)
	}
	return true
}
