package chat

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Timed messages go when their time runs out: mine counting from when I
// sent them, received ones from when they were read (MarkRead). c.exp
// orders them by that time; one goroutine waits for the first and
// removes what is due in one transaction, each with an UpdateEvent
// (deleted "expired"). The timers are in the store, so they survive a
// reload and run at start.

func expKey(at time.Time, msgKey string) string {
	return fmt.Sprintf("%016x/%s", at.UnixMilli(), msgKey)
}

// timerSet wakes the expiry loop once t commits (a new timer may be the
// first).
func (c *Client) timerSet(t *tx, _ time.Time) {
	t.OnCommit(func() {
		select {
		case c.timerKick <- struct{}{}:
		default:
		}
	})
}

// expiryLoop runs until Close.
func (c *Client) expiryLoop() {
	defer close(c.timerDone)
	ctx := context.Background()
	for {
		wait := time.Hour
		if next, ok := c.nextExpiry(ctx); ok {
			wait = max(time.Until(next), 0)
		}
		timer := time.NewTimer(wait)
		select {
		case <-c.stop:
			timer.Stop()
			return
		case <-c.timerKick:
			timer.Stop()
			continue
		case <-timer.C:
		}
		if err := c.expire(ctx); err != nil { // the agent may not be started yet: try again soon
			select {
			case <-c.stop:
				return
			case <-time.After(time.Second):
			}
		}
	}
}

// nextExpiry is when the first timed message goes.
func (c *Client) nextExpiry(ctx context.Context) (time.Time, bool) {
	kvs, err := c.st.List(ctx, bExp, "")
	if err != nil || len(kvs) == 0 {
		return time.Time{}, false
	}
	return expTime(kvs[0].Key)
}

func expTime(key string) (time.Time, bool) {
	hex, _, ok := strings.Cut(key, "/")
	ms, err := strconv.ParseUint(hex, 16, 64)
	if !ok || err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)), true
}

// expire removes every timed message whose time has come.
func (c *Client) expire(ctx context.Context) error {
	return c.update(ctx, func(t *tx) error {
		kvs, err := t.List(bExp, "")
		if err != nil {
			return err
		}
		now := c.now()
		for _, kv := range kvs {
			at, ok := expTime(kv.Key)
			if ok && at.After(now) {
				break
			}
			t.Del(bExp, kv.Key)
			_, key, _ := strings.Cut(kv.Key, "/")
			m, err := t.msg(key)
			if err != nil {
				return err
			}
			if m != nil {
				if err := c.discardFile(t, m, true); err != nil {
					return err
				}
				c.dropMsg(t, m)
				t.emit(UpdateEvent{Chat: chatRefOf(m.Chat), Message: gone(m, "expired")})
			}
		}
		return nil
	})
}
