package rules

import "time"

// Bucket is a token bucket, the allowance both relays give a session (and
// the native relay a client address) for creating queues: up to burst
// tokens, refilled at rate per second. The zero Bucket is full. Not safe
// for concurrent use: its owner locks it.
type Bucket struct {
	tokens float64
	last   time.Time // zero: never used, full
}

// refill brings the bucket up to now.
func (b *Bucket) refill(now time.Time, burst int, rate float64) {
	if b.last.IsZero() {
		b.tokens, b.last = float64(burst), now
		return
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(burst), b.tokens+d.Seconds()*rate)
		b.last = now
	}
}

// Take takes one token if there is one.
func (b *Bucket) Take(now time.Time, burst int, rate float64) bool {
	b.refill(now, burst, rate)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Give returns a token taken by Take (another limit refused the command).
func (b *Bucket) Give(burst int) { b.tokens = min(float64(burst), b.tokens+1) }

// Full reports whether the bucket is (back) at burst: forgetting it then
// loses nothing.
func (b *Bucket) Full(now time.Time, burst int, rate float64) bool {
	b.refill(now, burst, rate)
	return b.tokens >= float64(burst)
}
