package attack

import (
	"context"
	"fmt"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
)

// Canary is an ordinary client of the relay (from 127.0.0.1) with a queue
// of its own; Round checks that the relay still serves it.
type Canary struct {
	c *relayclient.Client
	q relayclient.RecipientQueue
	n int
}

// NewCanary connects and creates the canary's queue.
func NewCanary(ctx context.Context, url string) (*Canary, error) {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{MinBackoff: 50 * time.Millisecond, MaxBackoff: time.Second})
	q, err := c.CreateQueue(ctx)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("canary: NEW: %w", err)
	}
	return &Canary{c: c, q: q}, nil
}

// Round sends the canary a message, receives it and acknowledges it.
func (k *Canary) Round(ctx context.Context) error {
	body, err := k.Send(ctx)
	if err != nil {
		return err
	}
	return k.Receive(ctx, body)
}

// Send sends the canary a message and returns its body.
func (k *Canary) Send(ctx context.Context) (string, error) {
	k.n++
	body := fmt.Sprintf("canary %d", k.n)
	if err := k.c.Send(ctx, k.q.SenderID, nil, []byte(body)); err != nil {
		return "", fmt.Errorf("canary: SEND: %w", err)
	}
	return body, nil
}

// Receive waits for the message body, acknowledging it and any before it.
func (k *Canary) Receive(ctx context.Context, body string) error {
	for {
		ev, err := k.c.Events().Pop(ctx)
		if err != nil {
			return fmt.Errorf("canary: no MSG: %w", err)
		}
		m, ok := ev.(relayclient.Message)
		if !ok {
			continue
		}
		if err := k.c.Ack(ctx, k.q, m.MsgID); err != nil {
			return fmt.Errorf("canary: ACK: %w", err)
		}
		if string(m.Body) == body {
			return nil
		}
	}
}

// Client returns the canary's relay client.
func (k *Canary) Client() *relayclient.Client { return k.c }

// Close disconnects.
func (k *Canary) Close() { k.c.Close() }

// Fresh connects a new canary, does one round and disconnects: a new
// client can still get in and be served.
func Fresh(ctx context.Context, url string) error {
	k, err := NewCanary(ctx, url)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.Round(ctx)
}
