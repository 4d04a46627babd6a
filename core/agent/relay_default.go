package agent

import (
	"context"
	"errors"
	"sync"

	"github.com/sxweb/sxweb/core/relayclient"
)

// defaultRelay returns the factory of relayclient clients over cfg.Dial
// (nil when there is no Dial).
func defaultRelay(cfg Config) func(string) RelayClient {
	if cfg.Dial == nil {
		return nil
	}
	return func(server string) RelayClient {
		return NewRelayClient(relayclient.New(server, cfg.Dial, relayclient.Options{Logf: cfg.Logf}))
	}
}

// NewRelayClient adapts a *relayclient.Client to RelayClient.
func NewRelayClient(c *relayclient.Client) RelayClient {
	a := &rcAdapter{c: c, events: make(chan RelayEvent), done: make(chan struct{})}
	go a.pump()
	return a
}

type rcAdapter struct {
	c      *relayclient.Client
	events chan RelayEvent
	done   chan struct{}
	once   sync.Once
}

func (a *rcAdapter) pump() {
	defer close(a.events)
	for ev := range a.c.Events() {
		var out RelayEvent
		switch e := ev.(type) {
		case relayclient.Message:
			out = RelayEvent{Kind: RelayMsg, RecipientID: e.RecipientID, MsgID: e.MsgID, Timestamp: e.Timestamp, Body: e.Body}
		case relayclient.End:
			out = RelayEvent{Kind: RelayEnd, RecipientID: e.RecipientID}
		case relayclient.QueueDeleted:
			out = RelayEvent{Kind: RelayQueueDeleted, RecipientID: e.RecipientID}
		case relayclient.Up:
			out = RelayEvent{Kind: RelayConnUp}
		case relayclient.Down:
			out = RelayEvent{Kind: RelayConnDown}
		default:
			continue
		}
		select {
		case a.events <- out:
		case <-a.done:
			return
		}
	}
}

func toRC(q Queue) relayclient.RecipientQueue   { return relayclient.RecipientQueue(q) }
func fromRC(q relayclient.RecipientQueue) Queue { return Queue(q) }

// convErr maps relay refusals to *RelayError; anything else (not
// connected, closed, timeouts) stays as is and is retried.
func convErr(err error) error {
	var re *relayclient.Error
	if errors.As(err, &re) {
		return &RelayError{Code: re.Code}
	}
	return err
}

func (a *rcAdapter) Events() <-chan RelayEvent { return a.events }

func (a *rcAdapter) CreateQueue(ctx context.Context) (Queue, error) {
	q, err := a.c.CreateQueue(ctx)
	return fromRC(q), convErr(err)
}

func (a *rcAdapter) Subscribe(ctx context.Context, qs []Queue) []error {
	rq := make([]relayclient.RecipientQueue, len(qs))
	for i, q := range qs {
		rq[i] = toRC(q)
	}
	errs := a.c.Subscribe(ctx, rq)
	for i := range errs {
		errs[i] = convErr(errs[i])
	}
	return errs
}

func (a *rcAdapter) Ack(ctx context.Context, q Queue, msgID []byte) error {
	return convErr(a.c.Ack(ctx, toRC(q), msgID))
}

func (a *rcAdapter) Secure(ctx context.Context, sid, key []byte) error {
	return convErr(a.c.Secure(ctx, sid, key))
}

func (a *rcAdapter) Send(ctx context.Context, sid, key, body []byte) error {
	return convErr(a.c.Send(ctx, sid, key, body))
}

func (a *rcAdapter) Delete(ctx context.Context, q Queue) error {
	return convErr(a.c.Delete(ctx, toRC(q)))
}

func (a *rcAdapter) Close() error {
	a.once.Do(func() { close(a.done) })
	return a.c.Close()
}

// Reconnect makes the relay client dial now if it is not connected.
func (a *rcAdapter) Reconnect() { a.c.Reconnect() }
