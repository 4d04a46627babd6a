package relay

import "time"

// bucket is a token bucket: up to burst tokens, refilled at rate per
// second. The zero bucket is full (last == 0). Not safe for concurrent
// use: its owner locks it.
type bucket struct {
	tokens float64
	last   time.Time // zero: never used, full
}

// refill brings the bucket up to now.
func (b *bucket) refill(now time.Time, burst int, rate float64) {
	if b.last.IsZero() {
		b.tokens, b.last = float64(burst), now
		return
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(burst), b.tokens+d.Seconds()*rate)
		b.last = now
	}
}

// take takes one token if there is one.
func (b *bucket) take(now time.Time, burst int, rate float64) bool {
	b.refill(now, burst, rate)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// give returns a token taken by take (another limit refused the command).
func (b *bucket) give(burst int) { b.tokens = min(float64(burst), b.tokens+1) }

// full reports whether the bucket is (back) at burst: forgetting it then
// loses nothing.
func (b *bucket) full(now time.Time, burst int, rate float64) bool {
	b.refill(now, burst, rate)
	return b.tokens >= float64(burst)
}
