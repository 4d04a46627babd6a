package agent

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sxweb/sxweb/core/agent/envelope"
	"github.com/sxweb/sxweb/core/store"
)

// Buckets of the agent in the store (values are JSON, ratchet state raw).
const (
	bConn    = "a.conn"    // connID → conn
	bQueue   = "a.queue"   // hex(recipient id) → queue
	bRatchet = "a.ratchet" // connID → ratchet state
	bOutbox  = "a.outbox"  // %016x seq → outItem
	bReq     = "a.req"     // reqID → request
	bSent    = "a.sent"    // connID/%016x wire → API number, until delivered
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
	RcvQueue  string // hex recipient id of our queue
	Link      string `json:",omitempty"`
	InvSecret []byte `json:",omitempty"`
	Snd       *sndQueue
	AutoAllow bool   `json:",omitempty"`
	OwnInfo   []byte `json:",omitempty"`
	PeerInfo  []byte `json:",omitempty"`
	ConfID    string `json:",omitempty"`
	NextAPI   uint64 // last message number returned by Send
	SndWire   uint64 // last agent message number sent
	SndHash   [32]byte
	RcvWire   uint64 // last agent message number received
	RcvHash   [32]byte
	Rcpts     []envelope.Range `json:",omitempty"` // receipts to send
	Ratchet   []byte           `json:"-"`
}

func (c *conn) clone() *conn {
	n := *c
	n.Rcpts = slices.Clone(c.Rcpts)
	if c.Snd != nil {
		s := *c.Snd
		n.Snd = &s
	}
	return &n
}

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
	outInfo   = "info"   // inviter's connInfo, sealed at send time
	outMsg    = "msg"    // application message, sealed at send time
	outRcpt   = "rcpt"   // receipts only, sealed at send time
)

// outItem is one outbox entry. Body is plaintext until Sealed.
type outItem struct {
	Seq      uint64
	ConnID   string
	Kind     string
	API      uint64 `json:",omitempty"`
	Server   string `json:",omitempty"`
	SenderID []byte `json:",omitempty"`
	AuthKey  []byte `json:",omitempty"`
	Body     []byte `json:",omitempty"`
	Sealed   bool   `json:",omitempty"`
	Wire     uint64 `json:",omitempty"`

	// memory only, guarded by Agent.mu
	inflight bool
	sent     bool // the relay accepted; completion pending in the event loop
	done     bool // removed from the outbox
	attempts int
	retryAt  time.Time
}

func (it *outItem) key() string { return fmt.Sprintf("%016x", it.Seq) }

// request is a connection request received on a contact address.
type request struct {
	ID     string
	ConnID string
	Link   string
	Info   []byte
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

// sentMap returns the wire → API map of a connection (a.mu held).
func (a *Agent) sentMap(connID string) map[uint64]uint64 {
	m := a.sent[connID]
	if m == nil {
		m = map[uint64]uint64{}
		a.sent[connID] = m
	}
	return m
}

func qkey(rid []byte) string { return hex.EncodeToString(rid) }

func randomID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

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

// load reads every agent record into memory (Start).
func (a *Agent) load(ctx context.Context) error {
	if err := loadJSON(ctx, a.st, bConn, func(k string, c *conn) { a.conns[k] = c }); err != nil {
		return err
	}
	rs, err := a.st.List(ctx, bRatchet, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range rs {
		if c := a.conns[kv.Key]; c != nil {
			c.Ratchet = kv.Value
		}
	}
	if err := loadJSON(ctx, a.st, bQueue, func(k string, q *queue) { a.queues[k] = q }); err != nil {
		return err
	}
	if err := loadJSON(ctx, a.st, bReq, func(k string, r *request) { a.reqs[k] = r }); err != nil {
		return err
	}
	ss, err := a.st.List(ctx, bSent, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range ss {
		id, w, ok := parseSentKey(kv.Key)
		if ok && len(kv.Value) == 8 {
			a.sentMap(id)[w] = binary.BigEndian.Uint64(kv.Value)
		}
	}
	return loadJSON(ctx, a.st, bOutbox, func(_ string, it *outItem) {
		a.outbox[it.ConnID] = append(a.outbox[it.ConnID], it)
		a.nextSeq = max(a.nextSeq, it.Seq)
	})
}

func loadJSON[T any](ctx context.Context, st store.Store, bucket string, f func(string, *T)) error {
	kvs, err := st.List(ctx, bucket, "")
	if err != nil {
		return wrap(CodeStore, err)
	}
	for _, kv := range kvs {
		v := new(T)
		if err := json.Unmarshal(kv.Value, v); err != nil {
			return errf(CodeStore, "%s/%s: %v", bucket, kv.Key, err)
		}
		f(kv.Key, v)
	}
	return nil
}
