package store

import (
	"context"
	"errors"
	"time"

	rec "github.com/sxweb/sxweb/relay/store/record"
)

// Errors with stable meaning; the relay maps them to protocol errors.
var (
	ErrNotFound  = errors.New("store: queue not found")
	ErrDuplicate = errors.New("store: queue id already exists")
	ErrAuth      = errors.New("store: queue already secured with another key")
	ErrQuota     = errors.New("store: queue full")
	ErrSuspended = errors.New("store: queue suspended")
	ErrNoMsg     = errors.New("store: no such message")
	ErrClosed    = errors.New("store: closed")
)

// Queue is one queue's record (shared with the Cloudflare Worker through
// package record). Byte slices are owned by the caller after a read
// (implementations return copies).
type Queue = rec.Queue

// Message is one stored message: the sender's ciphertext as received.
type Message = rec.Message

// Store is what the relay engine needs from storage. Every method is atomic
// with respect to one queue.
type Store interface {
	// Create adds a queue; ErrDuplicate if either id is taken.
	Create(ctx context.Context, q Queue) error
	// ByRecipient and BySender look a queue up by one of its ids (ErrNotFound).
	ByRecipient(ctx context.Context, rid []byte) (Queue, error)
	BySender(ctx context.Context, sid []byte) (Queue, error)
	// Secure installs the sender key once. Installing the same key again is
	// a no-op (a retried SKEY); another key gives ErrAuth.
	Secure(ctx context.Context, rid, senderKey, senderMAC []byte) error
	// Suspend stops further Puts (ErrSuspended) but keeps the messages.
	Suspend(ctx context.Context, rid []byte) error
	// Delete removes the queue and its messages.
	Delete(ctx context.Context, rid []byte) error
	// Put appends a message. ErrQuota when the queue holds quota messages;
	// once that happened the queue stays full until it is empty again.
	Put(ctx context.Context, rid []byte, m Message, quota int) error
	// Peek returns the oldest message with Timestamp >= notBefore (older
	// ones are expired and skipped), or ErrNoMsg.
	Peek(ctx context.Context, rid []byte, notBefore int64) (Message, error)
	// Ack deletes the message msgID and every message before it (already
	// delivered or expired); ErrNoMsg if msgID is not in the queue.
	Ack(ctx context.Context, rid, msgID []byte) error
	// ExpireBatch deletes messages with Timestamp < before, looking at no
	// more than about limit messages in one atomic write, from cursor (nil:
	// the start). It returns how many it deleted and the cursor to go on
	// from, nil once it went past the end. Writes by others may run
	// between two calls; a full pass is calls until the cursor is nil.
	// (Peek skips expired messages, so none is delivered before its batch.)
	ExpireBatch(ctx context.Context, before int64, cursor []byte, limit int) (n int, next []byte, err error)
	// Touch records day (relay/rules.Day) as the last active day of the
	// queues rids whose records say an older one, in one write (other
	// records are not rewritten; unknown ids are skipped).
	Touch(ctx context.Context, rids [][]byte, day uint32) error
	// IdleQueues looks at about limit queue records from cursor (nil: the
	// start) and returns those idle at now (rules.Idle with expiry) and
	// those with no active day recorded, and the cursor to go on from (nil
	// once past the end). It only reads.
	IdleQueues(ctx context.Context, now time.Time, expiry time.Duration, cursor []byte, limit int) (idle, unknown [][]byte, next []byte, err error)
	// DeleteIdle deletes, in one write, those of rids still idle at now
	// (a Put or Touch since IdleQueues keeps a queue) with their messages,
	// and returns their ids.
	DeleteIdle(ctx context.Context, rids [][]byte, now time.Time, expiry time.Duration) (deleted [][]byte, err error)
	// Close releases the store; later calls return ErrClosed.
	Close() error
}

var (
	_ Store = (*Mem)(nil)
	_ Store = (*Bolt)(nil)
)
