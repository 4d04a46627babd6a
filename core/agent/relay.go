package agent

import (
	"context"
	"errors"

	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/core/relayclient"
)

// Queue is everything the recipient keeps for one of its queues.
type Queue = relayclient.RecipientQueue

// RelayClient is what the agent needs of a relay protocol client (one per
// relay URL, reconnecting by itself, resubscribing remembered queues after
// a reconnect). *relayclient.Client is one; tests use fakes. Its events
// are relayclient's own typed events (Message, End, QueueDeleted, Up,
// Down), taken in batches: a frame's messages are handled in one commit.
type RelayClient interface {
	Events() *fifo.Queue[relayclient.Event]
	CreateQueue(ctx context.Context) (Queue, error) // creates and subscribes
	Subscribe(ctx context.Context, qs []Queue) []error
	Ack(ctx context.Context, q Queue, msgID []byte) error
	Secure(ctx context.Context, senderID, senderAuthKey []byte) error
	Send(ctx context.Context, senderID, senderAuthKey, body []byte) error
	Delete(ctx context.Context, q Queue) error
	// WaitConnected waits until the relay connection is up (or ctx ends).
	WaitConnected(ctx context.Context) error
	Close() error
}

var _ RelayClient = (*relayclient.Client)(nil)

// Reconnecter is a RelayClient that can be told to dial now instead of
// waiting out its backoff (relayclient's does; see Agent.Reconnect).
type Reconnecter interface{ Reconnect() }

// defaultRelay returns the factory of relayclient clients over cfg.Dial
// (nil when there is no Dial).
func defaultRelay(cfg Config) func(string) RelayClient {
	if cfg.Dial == nil {
		return nil
	}
	return func(server string) RelayClient {
		return relayclient.New(server, cfg.Dial, relayclient.Options{Logf: cfg.Logf})
	}
}

// permanent reports whether a relay error means "do not retry": a refusal
// other than QUOTA (the queue is full for now), INTERNAL, RATE (queues
// created too fast: the allowance refills) and LIMIT (too many
// subscriptions held: they may be released; retried with the backoff, a
// connection is not failed for good over it).
func permanent(err error) (string, bool) {
	var re *relayclient.Error
	if errors.As(err, &re) && !retryable[re.Code] {
		return re.Code, true
	}
	return "", false
}

var retryable = map[string]bool{"QUOTA": true, "INTERNAL": true, "RATE": true, "LIMIT": true}

// closedRelay stands in for relays first needed after Close.
type closedRelay struct{}

var errClosed = &Error{Code: CodeNotStarted, Err: errors.New("agent closed")}

func (closedRelay) Events() *fifo.Queue[relayclient.Event] {
	q := fifo.New[relayclient.Event](1)
	q.Close()
	return q
}
func (closedRelay) CreateQueue(context.Context) (Queue, error)         { return Queue{}, errClosed }
func (closedRelay) Ack(context.Context, Queue, []byte) error           { return errClosed }
func (closedRelay) Secure(context.Context, []byte, []byte) error       { return errClosed }
func (closedRelay) Send(context.Context, []byte, []byte, []byte) error { return errClosed }
func (closedRelay) Delete(context.Context, Queue) error                { return errClosed }
func (closedRelay) WaitConnected(context.Context) error                { return errClosed }
func (closedRelay) Close() error                                       { return nil }
func (closedRelay) Subscribe(_ context.Context, qs []Queue) []error {
	errs := make([]error, len(qs))
	for i := range errs {
		errs[i] = errClosed
	}
	return errs
}
