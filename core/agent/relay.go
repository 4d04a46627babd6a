package agent

import (
	"context"
	"errors"
	"time"
)

// Queue is everything the recipient keeps for one of its queues
// (mirrors relayclient.RecipientQueue).
type Queue struct {
	Server      string
	RecipientID []byte
	SenderID    []byte
	AuthKey     []byte
	ServerDHKey []byte
	DHKey       []byte
}

// RelayEventKind tells what a RelayEvent is.
type RelayEventKind int

// Relay event kinds.
const (
	RelayMsg RelayEventKind = iota + 1
	RelayEnd                // another client subscribed the queue
	RelayQueueDeleted
	RelayConnUp
	RelayConnDown
)

// RelayEvent is one event of a relay connection.
type RelayEvent struct {
	Kind        RelayEventKind
	RecipientID []byte
	MsgID       []byte
	Timestamp   time.Time
	Body        []byte // RelayMsg: the sender's SEND body
}

// RelayClient is what the agent needs of a relay protocol client (one per
// relay URL, reconnecting by itself, resubscribing remembered queues after
// a reconnect). NewRelayClient adapts core/relayclient.
type RelayClient interface {
	Events() <-chan RelayEvent
	CreateQueue(ctx context.Context) (Queue, error) // creates and subscribes
	Subscribe(ctx context.Context, qs []Queue) []error
	Ack(ctx context.Context, q Queue, msgID []byte) error
	Secure(ctx context.Context, senderID, senderAuthKey []byte) error
	Send(ctx context.Context, senderID, senderAuthKey, body []byte) error
	Delete(ctx context.Context, q Queue) error
	Close() error
}

// Reconnecter is a RelayClient that can be told to dial now instead of
// waiting out its backoff (relayclient's does; see Agent.Reconnect).
type Reconnecter interface{ Reconnect() }

// RelayError is a refusal by the relay, with the relay's error code.
// Codes other than QUOTA are permanent for the command that got them.
type RelayError struct{ Code string }

func (e *RelayError) Error() string { return "relay: " + e.Code }

// permanent reports whether a relay error means "do not retry".
func permanent(err error) (string, bool) {
	var re *RelayError
	if errors.As(err, &re) && re.Code != "QUOTA" && re.Code != "INTERNAL" {
		return re.Code, true
	}
	return "", false
}

// closedRelay stands in for relays first needed after Close.
type closedRelay struct{}

var errClosed = &Error{Code: CodeNotStarted, Err: errors.New("agent closed")}

func (closedRelay) Events() <-chan RelayEvent                          { return nil }
func (closedRelay) CreateQueue(context.Context) (Queue, error)         { return Queue{}, errClosed }
func (closedRelay) Ack(context.Context, Queue, []byte) error           { return errClosed }
func (closedRelay) Secure(context.Context, []byte, []byte) error       { return errClosed }
func (closedRelay) Send(context.Context, []byte, []byte, []byte) error { return errClosed }
func (closedRelay) Delete(context.Context, Queue) error                { return errClosed }
func (closedRelay) Close() error                                       { return nil }
func (closedRelay) Subscribe(_ context.Context, qs []Queue) []error {
	errs := make([]error, len(qs))
	for i := range errs {
		errs[i] = errClosed
	}
	return errs
}
