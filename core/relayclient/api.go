package relayclient

import (
	"context"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// MaxBody is the largest SEND body the relay accepts by default.
const MaxBody = 16384

// Conn is one binary-message connection (WebSocket frames).
type Conn interface {
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, frame []byte) error
	Close() error
}

// Dialer opens a Conn to a relay URL.
type Dialer func(ctx context.Context, url string) (Conn, error)

// RecipientQueue is everything the recipient keeps for one queue
// (persisted by the agent).
type RecipientQueue struct {
	Server      string // relay URL
	RecipientID []byte // 24 bytes
	SenderID    []byte // 24 bytes (given to the sender in a link or reply-queue info)
	AuthKey     []byte // 32-byte X25519 private key: authenticates recipient commands
	ServerDHKey []byte // relay's per-queue X25519 public key (delivery re-encryption)
	DHKey       []byte // 32-byte X25519 private key of ours paired with ServerDHKey
}

// Options tune a Client; zero values take the defaults.
type Options struct {
	MinBackoff   time.Duration // first reconnect delay (100 ms)
	MaxBackoff   time.Duration // longest reconnect delay (10 s)
	PingInterval time.Duration // PING when idle this long; no PONG within it drops the connection (30 s)
	Logf         func(format string, args ...any)
}

// Event is one of Message, End, QueueDeleted, Up, Down.
type Event interface{ isEvent() }

// Message is a delivered message (Body opened from the relay's re-encryption).
// Acknowledge it with Ack to get the queue's next message.
type Message struct {
	RecipientID, MsgID []byte
	Timestamp          time.Time
	Body               []byte
}

// End: another connection subscribed the queue; this client forgot it.
type End struct{ RecipientID []byte }

// QueueDeleted: the queue was deleted (by another connection of the
// recipient); this client forgot it.
type QueueDeleted struct{ RecipientID []byte }

// Up: connected, and every remembered queue re-subscribed (Failed counts
// queues the relay refused; they are forgotten).
type Up struct {
	Server               string
	Resubscribed, Failed int
}

// Down: the connection dropped; the client reconnects with backoff.
type Down struct {
	Server string
	Err    error
}

func (Message) isEvent()      {}
func (End) isEvent()          {}
func (QueueDeleted) isEvent() {}
func (Up) isEvent()           {}
func (Down) isEvent()         {}

// keys is the derived key material of one remembered queue.
type keys struct {
	q   RecipientQueue
	box *[32]byte // opens MSG bodies
}

func deriveBox(q RecipientQueue) (*keys, error) {
	box, err := wire.BoxKey(q.DHKey, q.ServerDHKey)
	if err != nil {
		return nil, err
	}
	return &keys{q: q, box: box}, nil
}
