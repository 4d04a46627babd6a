package chat

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// Buckets of the chat layer.
const (
	bMeta    = "c.meta"    // "profile", "seq", "schema"
	bContact = "c.contact" // contactID
	bGroup   = "c.group"   // groupID
	bMember  = "c.member"  // groupID/memberID
	bConn    = "c.conn"    // connID -> connRef
	bMsg     = "c.msg"     // chat/seq
	bMsgID   = "c.msgid"   // messageID -> msg key
	bSendID  = "c.sendid"  // chat/sendId -> messageID (idempotent sends)
	bSMID    = "c.smid"    // chat/author/protocol msgId -> msg key (quotes, edits, deletes, reactions)
	bExp     = "c.exp"     // %016x unix ms/msg key: timed messages by when they go
	bTTLWait = "c.ttlwait" // msg key: received timed messages whose timer starts when read
	bFile    = "c.file"    // file id -> fileRec
	bFChunk  = "c.fchunk"  // file id/%016x chunk -> sentChunk (my files)
	bFLater  = "c.flater"  // groupID/memberID/fileID: a member owed a file's description once connected
	bSeen    = "c.seen"    // groupID/author/msgId (dedup)
	bIntro   = "c.intro"   // groupID/memberA/memberB (host: pair not yet connected)
	bMQ      = "c.mq"      // groupID/memberID/seq: messages for a member without a connection yet
	bErr     = "c.err"     // seq -> recorded skipped event
)

// tx is the chat layer's view of one agent transaction: its reads and
// writes, the events to emit once it commits, and the message records it
// changed. Several handler calls of one agent transaction (a batch of
// incoming events) share one tx, so a message's delivery changes there
// make one event.
type tx struct {
	Tx
	c       *Client
	handler bool                      // inside an incoming event: failures are recorded, not returned
	view    bool                      // read-only, without the lock (no shared caches)
	evs     []Event                   // emitted after the transaction commits
	dlv     map[string]*DeliveryEvent // by message id, emitted after evs
	dlvKeys []string                  // their order
	msgs    map[string]*msgRec        // message records read or changed here, by key
	mem     map[string]*memberRec     // member records changed here, by memberKey (nil: deleted)
	toHost  *[]proto.Params           // x.grp.mem.inv answers collected for one host message
}

// wrap returns the chat tx of agent transaction at (the same one for
// every call within it) and arranges its events to be emitted when at
// commits. Called under the agent's lock only.
func (c *Client) wrap(at Tx, handler bool) *tx {
	if c.cur != nil && c.cur.Tx == at {
		return c.cur
	}
	t := &tx{Tx: at, c: c, handler: handler, dlv: map[string]*DeliveryEvent{}, msgs: map[string]*msgRec{}, mem: map[string]*memberRec{}}
	c.cur = t
	at.OnCommit(func() { c.publish(t) })
	return t
}

func (t *tx) ctx() context.Context { return t.Context() }

// getJSON loads a record; found is false when absent.
func (t *tx) getJSON(bucket, key string, v any) (found bool, err error) {
	b, err := t.Get(bucket, key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, v)
}

func (t *tx) put(bucket, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("chat: marshal record: " + err.Error()) // records are plain structs
	}
	t.Put(bucket, key, b)
}

// listJSON decodes every record under prefix.
func listJSON[T any](t *tx, bucket, prefix string) ([]T, error) {
	kvs, err := t.List(bucket, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		var v T
		if err := json.Unmarshal(kv.Value, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (t *tx) emit(ev Event) { t.evs = append(t.evs, ev) }

// roTx is a read-only transaction for views: reads go to the store (each
// is atomic; a view needs no lock), writes are a bug.
type roTx struct {
	ctx context.Context
	st  store.Store
}

func (r roTx) Context() context.Context                { return r.ctx }
func (r roTx) Get(b, k string) ([]byte, error)         { return r.st.Get(r.ctx, b, k) }
func (r roTx) List(b, p string) ([]store.KV, error)    { return r.st.List(r.ctx, b, p) }
func (roTx) Put(string, string, []byte)                { panic("chat: write in a view") }
func (roTx) Del(string, string)                        { panic("chat: write in a view") }
func (roTx) OnCommit(func())                           { panic("chat: commit hook in a view") }
func (roTx) Reserve(int) error                         { return errReadOnly }
func (roTx) CreateInvitation() (string, string, error) { return "", "", errReadOnly }
func (roTx) CreateAddress() (string, string, error)    { return "", "", errReadOnly }
func (roTx) Join(string, []byte) (string, error)       { return "", errReadOnly }
func (roTx) Allow(string, string, []byte) error        { return errReadOnly }
func (roTx) DeleteConnection(string, bool) error       { return errReadOnly }
func (roTx) AcceptRequest(string, string, []byte) (string, error) {
	return "", errReadOnly
}
func (roTx) Send(string, []byte, agent.SendOptions) (uint64, error) { return 0, errReadOnly }
func (roTx) SendMany([]string, []byte, agent.SendOptions) (int, error) {
	return 0, errReadOnly
}

var errReadOnly = errors.New("chat: read-only view")
