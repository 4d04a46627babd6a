package agent

// Event is one of the typed events below, delivered to the Handler.
type Event interface{ agentEvent() }

// Confirmation: someone joined our invitation; call Tx.Allow.
type Confirmation struct {
	ConnID, ConfID string
	ConnInfo       []byte // the joiner's connInfo
}

// Request: someone sent a connection request to our contact address;
// call Tx.AcceptRequest.
type Request struct {
	ConnID, ReqID string // ConnID is the address connection
	ConnInfo      []byte
}

// Connected: the duplex connection works; ConnInfo is the peer's.
type Connected struct {
	ConnID   string
	ConnInfo []byte
}

// Message: an application message, in order, exactly once.
type Message struct {
	ConnID string
	MsgNum uint64 // the peer's message number (gaps reported by Integrity)
	Body   []byte
}

// Sent: the relay accepted message MsgNum (as returned by Send; for
// SendMany, numbered when sealed). Tag is the sender's SendOptions.Tag.
type Sent struct {
	ConnID string
	MsgNum uint64
	Tag    string
}

// Delivered: the peer's agent received message MsgNum (receipt). Never
// comes for a message sent with SendOptions.NoReceipt.
type Delivered struct {
	ConnID string
	MsgNum uint64
	Tag    string
}

// SendFailed: the relay permanently refused message MsgNum (0 for a
// handshake message); Code is the relay's error code.
type SendFailed struct {
	ConnID string
	MsgNum uint64
	Tag    string
	Code   string
}

// Integrity kinds.
const (
	IntegritySkipped    = "skipped"     // messages FromNum..ToNum never arrived
	IntegrityDuplicate  = "duplicate"   // the previous message again (not delivered)
	IntegrityBadID      = "bad_id"      // a number at or below the last one (not delivered)
	IntegrityBadHash    = "bad_hash"    // previous-message hash differs (delivered)
	IntegrityBadMessage = "bad_message" // undecryptable or malformed (not delivered)
	IntegrityBadSync    = "bad_sync"    // a sync message refused: malformed, replayed or unexpected
)

// Integrity reports a problem with received messages.
type Integrity struct {
	ConnID         string
	Kind           string
	MsgNum         uint64 // the received message number, when known
	FromNum, ToNum uint64 // IntegritySkipped: the missing range
	Reason         string // detail for logs (not stable)
}

// RelayUp and RelayDown report a relay connection's state.
type RelayUp struct{ Server string }

// RelayDown: see RelayUp.
type RelayDown struct{ Server string }

// Deleted: the connection was deleted (Tx.DeleteConnection; with drain,
// once what was queued has left); no more events for it.
type Deleted struct{ ConnID string }

// HandlerFailed: the handler panicked on Event. Nothing it wrote for
// Event committed; the agent's own state change for it did (the message
// is acknowledged, never delivered again), together with a copy of Event
// kept in the store under ID (see FailedEvents). It comes in Event's
// place, in order, with the same batch; if the handler panics on it too,
// the event is still kept and only logged.
type HandlerFailed struct {
	ID     string // the failed event's record (FailedEvents, DeleteFailedEvent)
	ConnID string // the connection Event is about ("" for relay events)
	Event  Event
	Reason string // the panic value, for logs (not stable)
}

// Ratchet re-synchronization states (RatchetSync.State).
const (
	// SyncRequired: the connection's ratchet no longer agrees with the
	// peer's; a re-synchronization waits for its cooldown (a connection
	// re-synchronizes at most once per Config.SyncInterval, doubling).
	SyncRequired = "required"
	// SyncStarted: our fresh keys went to the peer; messages to it wait
	// (queued) for its answer.
	SyncStarted = "started"
	// SyncDone: a fresh ratchet is in place on both sides; messages flow.
	SyncDone = "done"
)

// RatchetSync reports a ratchet re-synchronization of a connection: one
// side restored an older copy of its state (a backup), so the ratchets no
// longer agree, and the connection starts a fresh one over its queues
// (docs/agent-protocol.md §6.1). SyncDone says what the old ratchet took
// with it: Lost counts the peer's messages that never reached us here
// (undecryptable, or taken by the other copy of this account),
// Unconfirmed ours whose receipts will not come (they may or may not have
// been read). Both are counts of application messages, best effort.
type RatchetSync struct {
	ConnID      string
	State       string
	Lost        int
	Unconfirmed int
}

// SubscriptionsEnded: another client subscribed these queues of Server:
// the account is running elsewhere (a copy of this store). Until it is
// restarted this agent neither receives nor sends on those connections and
// does not subscribe them again; queues made ahead among them are dropped
// (Spares counts them).
type SubscriptionsEnded struct {
	Server  string
	ConnIDs []string
	Spares  int
}

func (Confirmation) agentEvent()       {}
func (Request) agentEvent()            {}
func (Connected) agentEvent()          {}
func (Message) agentEvent()            {}
func (Sent) agentEvent()               {}
func (Delivered) agentEvent()          {}
func (SendFailed) agentEvent()         {}
func (Integrity) agentEvent()          {}
func (RelayUp) agentEvent()            {}
func (RelayDown) agentEvent()          {}
func (Deleted) agentEvent()            {}
func (HandlerFailed) agentEvent()      {}
func (RatchetSync) agentEvent()        {}
func (SubscriptionsEnded) agentEvent() {}
