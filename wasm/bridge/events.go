//go:build js && wasm

package bridge

import (
	"fmt"
	"os"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/fifo"
)

// MaxPending is how many events wait for a sink before the oldest are
// dropped (counted in an "error" event once a sink is set).
const MaxPending = 10000

// Events delivers events to one JS sink function, in Emit order, from one
// goroutine. Events emitted before a sink is set wait for it (up to
// MaxPending, then the oldest are dropped and counted).
type Events struct {
	q       *fifo.Queue[map[string]any]
	mu      sync.Mutex
	sink    safejs.Value
	hasSink bool
	dropped int
	wake    chan struct{} // a sink was set
	stop    chan struct{}
	once    sync.Once
}

// NewEvents starts the delivery goroutine.
func NewEvents() *Events {
	e := &Events{q: fifo.New[map[string]any](MaxPending), wake: make(chan struct{}, 1), stop: make(chan struct{})}
	go e.loop()
	return e
}

// SetSink replaces the sink; a non-function clears it.
func (e *Events) SetSink(fn safejs.Value) {
	e.mu.Lock()
	e.sink, e.hasSink = fn, fn.Type() == safejs.TypeFunction
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Emit queues one event; ev must have a "type" field.
func (e *Events) Emit(ev map[string]any) {
	if e.q.PushDropOldest(ev) {
		e.mu.Lock()
		e.dropped++
		e.mu.Unlock()
	}
}

// Stop ends delivery; queued events are dropped.
func (e *Events) Stop() {
	e.once.Do(func() {
		close(e.stop)
		e.q.Close()
	})
}

func (e *Events) loop() {
	for {
		sink, ok := e.waitSink()
		if !ok {
			return
		}
		select {
		case <-e.q.Ready():
		case <-e.wake:
			continue
		case <-e.stop:
			return
		}
		for {
			ev, ok := e.q.TryPop()
			if !ok {
				break
			}
			e.deliver(sink, e.droppedReport())
			e.deliver(sink, ev)
		}
	}
}

// waitSink waits until a sink is set; false once stopped.
func (e *Events) waitSink() (safejs.Value, bool) {
	for {
		e.mu.Lock()
		sink, has := e.sink, e.hasSink
		e.mu.Unlock()
		if has {
			return sink, true
		}
		select {
		case <-e.wake:
		case <-e.stop:
			return safejs.Value{}, false
		}
	}
}

// droppedReport is the "error" event counting dropped events (nil if none).
func (e *Events) droppedReport() map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.dropped == 0 {
		return nil
	}
	ev := map[string]any{"type": "error", "code": "EVENTS_DROPPED", "message": fmt.Sprintf("%d events dropped while no sink was set", e.dropped)}
	e.dropped = 0
	return ev
}

// deliver hands one event to the sink; a panic or a throwing sink is logged.
func (e *Events) deliver(sink safejs.Value, ev map[string]any) {
	if ev == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "bridge: event delivery panic: %v\n", r)
		}
	}()
	jv, err := ToJS(ev)
	if err == nil {
		_, err = sink.Invoke(jv)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bridge: event sink: %v\n", err)
	}
}
