// Package fifo is the one in-memory queue of the project: a bounded FIFO
// between a producer that must never block (a connection's reader, a
// commit hook, a browser callback) and a consumer that waits, taking one
// item or everything available at once (so work that arrives together is
// handled together: one commit for a frame's messages).
//
// The bound is explicit and so is what happens at it: Push refuses (ErrFull)
// and the producer decides (drop the connection, drop the oldest and count
// it); PushDropOldest does the latter. Nothing grows without limit.
//
// Layer: bottom of core; imports nothing of the project. Used by
// core/relayclient, core/agent, core/chat and the browser bridge.
//
// Concurrency: safe for any number of producers and consumers.
package fifo

import (
	"context"
	"errors"
	"sync"
)

// ErrFull is returned by Push when the queue holds its limit.
var ErrFull = errors.New("fifo: full")

// ErrClosed is returned by Push after Close, and by Pop once the queue is
// closed and empty.
var ErrClosed = errors.New("fifo: closed")

// Queue is a bounded FIFO of T. The zero value is not usable: use New.
type Queue[T any] struct {
	mu     sync.Mutex
	items  []T // items[head:] are queued
	head   int
	limit  int
	closed bool
	signal chan struct{} // non-empty (or closed) since the last Pop
}

// New returns an empty queue that holds at most limit items (limit < 1
// is taken as 1).
func New[T any](limit int) *Queue[T] {
	return &Queue[T]{limit: max(limit, 1), signal: make(chan struct{}, 1)}
}

// SetLimit changes the bound; items already queued above it stay.
func (q *Queue[T]) SetLimit(n int) {
	q.mu.Lock()
	q.limit = max(n, 1)
	q.mu.Unlock()
}

// Push appends v; it never blocks. ErrFull at the limit, ErrClosed after Close.
func (q *Queue[T]) Push(v T) error {
	q.mu.Lock()
	switch {
	case q.closed:
		q.mu.Unlock()
		return ErrClosed
	case len(q.items)-q.head >= q.limit:
		q.mu.Unlock()
		return ErrFull
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.wake()
	return nil
}

// PushDropOldest appends v, dropping the oldest item when the queue is at
// its limit; it reports whether one was dropped. After Close it drops v.
func (q *Queue[T]) PushDropOldest(v T) (dropped bool) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return true
	}
	if len(q.items)-q.head >= q.limit {
		var zero T
		q.items[q.head] = zero
		q.head++
		dropped = true
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.wake()
	return dropped
}

func (q *Queue[T]) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// Len is the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

// Ready is signalled when items may be waiting (for select loops that
// watch several sources); follow it with TryPop or PopBatch.
func (q *Queue[T]) Ready() <-chan struct{} { return q.signal }

// TryPop takes the oldest item if there is one.
func (q *Queue[T]) TryPop() (T, bool) {
	b := q.take(1)
	if len(b) == 0 {
		var zero T
		return zero, false
	}
	return b[0], true
}

// Pop waits for an item and takes it.
func (q *Queue[T]) Pop(ctx context.Context) (T, error) {
	b, err := q.PopBatch(ctx, 1)
	if err != nil {
		var zero T
		return zero, err
	}
	return b[0], nil
}

// PopBatch waits until at least one item is queued and takes up to max
// of them (all there are, if max < 1), oldest first.
func (q *Queue[T]) PopBatch(ctx context.Context, max int) ([]T, error) {
	for {
		if b := q.take(max); len(b) > 0 {
			return b, nil
		}
		q.mu.Lock()
		closed := q.closed && len(q.items) == q.head
		q.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		select {
		case <-q.signal:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// take removes up to max items (all if max < 1) and re-signals when some
// are left for another consumer.
func (q *Queue[T]) take(max int) []T {
	q.mu.Lock()
	n := len(q.items) - q.head
	if max > 0 && n > max {
		n = max
	}
	if n == 0 {
		q.mu.Unlock()
		return nil
	}
	out := make([]T, n)
	copy(out, q.items[q.head:q.head+n])
	clear(q.items[q.head : q.head+n])
	q.head += n
	left := len(q.items) - q.head
	if left == 0 {
		q.items, q.head = q.items[:0], 0
	} else if q.head > len(q.items)/2 && q.head > 64 { // compact: memory returned as the queue drains
		q.items = append(q.items[:0:0], q.items[q.head:]...)
		q.head = 0
	}
	q.mu.Unlock()
	if left > 0 {
		q.wake()
	}
	return out
}

// Close refuses further pushes; consumers take what is queued, then get
// ErrClosed.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wake()
}
