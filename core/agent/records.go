package agent

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/sxweb/sxweb/core/agent/envelope"
)

// Buckets of the agent in the store (values are JSON, ratchet state raw).
const (
	bConn    = "a.conn"    // connID → conn
	bQueue   = "a.queue"   // hex(recipient id) → queue
	bRatchet = "a.ratchet" // connID → ratchet state
	bOutbox  = "a.outbox"  // %016x seq (job items: %016x seq/connID) → outItem
	bJob     = "a.job"     // jobID → job: one message to many connections, until sealed for each
	bReq     = "a.req"     // reqID → request
	bSent    = "a.sent"    // connID/%016x wire → sentRec, until delivered
	bSpare   = "a.spare"   // hex(recipient id) → queue made ahead, not yet used
	bMark    = "a.mark"    // "restored": written by an import (RestoredMark), gone at the next Start
)

// Connection roles and states.
const (
	roleInviter = "inviter" // made the invitation (also a requester's side)
	roleJoiner  = "joiner"  // joined an invitation
	roleAddress = "address" // a contact address: receives requests only

	stNew       = "new"       // inviter: waiting for a confirmation
	stConfirmed = "confirmed" // inviter: confirmation received, not yet allowed
	stAllowed   = "allowed"   // inviter: allowed, its info not yet accepted by the relay
	stJoined    = "joined"    // joiner: confirmation queued, waiting for the inviter's info
	stConnected = "connected"
)

// sndQueue is the peer's queue we send to.
type sndQueue struct {
	Server   string
	SenderID []byte
	AuthKey  []byte // our sender auth key (SKEY)
	E2EPriv  []byte // our X25519 key for the per-queue box
	E2EPub   []byte
	E2EPeer  []byte // the recipient's X25519 public key
}

// conn is one connection's state. Ratchet is stored in bRatchet.
type conn struct {
	ID        string
	Role      string
	State     string
	RcvQueue  string // hex recipient id of our queue ("" once deleted)
	Link      string `json:",omitempty"`
	InvSecret []byte `json:",omitempty"`
	Snd       *sndQueue
	AutoAllow bool   `json:",omitempty"`
	OwnInfo   []byte `json:",omitempty"`
	PeerInfo  []byte `json:",omitempty"`
	ConfID    string `json:",omitempty"`
	// Deleting: deleted with drain; its queued messages still go out, then
	// it is removed. Nothing new is accepted for it.
	Deleting bool             `json:",omitempty"`
	NextAPI  uint64           // last message number given out (Send, or sealing a SendMany item)
	SndWire  uint64           // last agent message number sent
	SndHash  [32]byte         //
	RcvWire  uint64           // last agent message number received
	RcvHash  [32]byte         //
	Rcpts    []envelope.Range `json:",omitempty"` // receipts to send
	// SndApp and RcvApp count the application messages sealed and
	// delivered under the current ratchet (a re-sync compares them).
	SndApp  uint64     `json:",omitempty"`
	RcvApp  uint64     `json:",omitempty"`
	Sync    *syncState `json:",omitempty"` // ratchet re-synchronization (sync.go)
	Ratchet []byte     `json:"-"`
}

func (c *conn) clone() *conn {
	n := *c
	n.Rcpts = slices.Clone(c.Rcpts)
	if c.Snd != nil {
		s := *c.Snd
		n.Snd = &s
	}
	if c.Sync != nil {
		n.Sync = c.Sync.clone()
	}
	return &n
}

// canSeal reports whether messages can be sealed for c now: the peer's
// queue is known, our side of the handshake is done and no ratchet
// re-synchronization is under way.
func (c *conn) canSeal() bool {
	return c.Snd != nil && (c.State == stConnected || c.State == stAllowed) && c.syncState() == ""
}

// firstOnQueue: nothing of ours went to the peer's queue yet, so the next
// envelope carries our key.
func (c *conn) firstOnQueue() bool { return c.SndWire == 0 && c.epoch() == 0 }

// queue is one of our receive queues.
type queue struct {
	Key     string // hex recipient id
	Q       Queue
	ConnID  string
	E2EPriv []byte
	PeerKey []byte `json:",omitempty"` // the sender's X25519 key once known
	Seen    []seen `json:",omitempty"` // the last processed messages
}

// seen identifies a processed message: the relay's id and the body hash.
// The same id and hash is a re-delivery (acked silently); the same hash
// under a new id is a replayed ciphertext (reported).
type seen struct {
	ID   []byte
	Hash []byte
}

const seenRing = 8

func (q *queue) clone() *queue {
	n := *q
	n.Seen = slices.Clone(q.Seen)
	return &n
}

// seenAs reports whether a body with hash h was processed, and whether
// that is harmless: the relay re-delivering the same message id, or the
// sender's outbox retrying identical bytes whose first copy the relay kept
// although the answer was lost (such a copy always directly follows the
// original, as the sender sends nothing else to the queue meanwhile).
func (q *queue) seenAs(id, h []byte) (found, harmless bool) {
	for i, s := range q.Seen {
		if string(s.Hash) == string(h) {
			return true, string(s.ID) == string(id) || i == len(q.Seen)-1
		}
	}
	return false, false
}

func (q *queue) addSeen(id, h []byte) {
	q.Seen = append(q.Seen, seen{ID: id, Hash: h})
	if len(q.Seen) > seenRing {
		q.Seen = q.Seen[len(q.Seen)-seenRing:]
	}
}

// Outbox item kinds.
const (
	outSecure = "secure" // SKEY on the peer's queue
	outEnv    = "env"    // a ready envelope (confirmation, request)
	outInfo   = "info"   // inviter's connInfo, sealed when it can be
	outMsg    = "msg"    // application message, sealed when it can be
	outRcpt   = "rcpt"   // receipts only (always sealed when made)
	outDelete = "delete" // DEL of our receive queue (Del), after its connection was deleted
	outSync   = "sync"   // a ratchet re-synchronization message (sealed when made, box only)
)

// outItem is one outbox entry. Body is plaintext until Sealed; an item of
// a job (SendMany) has no Body until sealed: the job holds it.
type outItem struct {
	Seq      uint64
	ConnID   string
	Kind     string
	API      uint64 `json:",omitempty"`
	Job      string `json:",omitempty"` // the SendMany job it came from
	Tag      string `json:",omitempty"` // SendOptions.Tag
	Quiet    bool   `json:",omitempty"` // SendOptions.NoReceipt
	Server   string `json:",omitempty"`
	SenderID []byte `json:",omitempty"`
	AuthKey  []byte `json:",omitempty"`
	Body     []byte `json:",omitempty"`
	Sealed   bool   `json:",omitempty"`
	Wire     uint64 `json:",omitempty"`
	Del      *Queue `json:",omitempty"` // outDelete: the queue to delete
	// Epoch is the connection's ratchet generation the entry was sealed
	// under (receipts match only entries of the current one).
	Epoch uint32 `json:",omitempty"`
	// Pos, for an outSync entry, is the Seq of the first entry that was
	// waiting to be sealed when it was made: it goes before that one.
	Pos uint64 `json:",omitempty"`

	// memory only, guarded by Agent.mu
	inflight bool // handed to the relay; until its result is applied
	done     bool // removed from the outbox
	attempts int
	retryAt  time.Time
}

// order is the entry's place in its connection's list (see Pos).
func (it *outItem) order() uint64 {
	if it.Pos != 0 {
		return it.Pos
	}
	return it.Seq
}

// cmpOut orders the entries of one connection: by order, a sync entry
// before the entry it was placed before, then by Seq.
func cmpOut(x, y *outItem) int {
	if c := cmpUint(x.order(), y.order()); c != 0 {
		return c
	}
	if (x.Pos != 0) != (y.Pos != 0) {
		if x.Pos != 0 {
			return -1
		}
		return 1
	}
	return cmpUint(x.Seq, y.Seq)
}

func (it *outItem) key() string {
	if it.Job != "" {
		return fmt.Sprintf("%016x/%s", it.Seq, it.ConnID)
	}
	return fmt.Sprintf("%016x", it.Seq)
}

// needsSeal: a message still in plaintext (handshake entries need none).
func (it *outItem) needsSeal() bool {
	return !it.Sealed && (it.Kind == outMsg || it.Kind == outInfo)
}

// job is one body sent to many connections (SendMany): stored once, and
// sealed for each connection in batches (Config.SealBatch per commit).
// Conns are the connections it is not yet sealed for.
type job struct {
	ID    string
	Seq   uint64
	Body  []byte
	Tag   string `json:",omitempty"`
	Quiet bool   `json:",omitempty"`
	Conns []string
}

// sentRec is what a sealed message is, until its receipt comes.
type sentRec struct {
	API uint64
	Tag string `json:",omitempty"`
}

// request is a connection request received on a contact address.
type request struct {
	ID     string
	ConnID string
	Link   string
	Info   []byte
}

// spare is a receive queue made ahead of its use (see Tx.Reserve).
type spare struct {
	Q         Queue
	persisted bool // its bSpare record committed
}

func sentKey(connID string, wire uint64) string { return fmt.Sprintf("%s/%016x", connID, wire) }

func parseSentKey(k string) (string, uint64, bool) {
	i := strings.LastIndexByte(k, '/')
	if i < 0 {
		return "", 0, false
	}
	w, err := strconv.ParseUint(k[i+1:], 16, 64)
	return k[:i], w, err == nil
}

// sentMap returns the wire → sentRec map of a connection (a.mu held).
func (a *Agent) sentMap(connID string) map[uint64]sentRec {
	m := a.sent[connID]
	if m == nil {
		m = map[uint64]sentRec{}
		a.sent[connID] = m
	}
	return m
}

func qkey(rid []byte) string { return hex.EncodeToString(rid) }

// randomID mints a local id (connections, confirmations, requests, jobs).
func randomID() string { return uuid.NewString() }

func randomKey() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are encoded
	}
	return b
}
