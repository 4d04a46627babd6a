package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/store"
)

// Config configures a Client.
type Config struct {
	Store store.Store
	Agent Agent
	// AutoAcceptMemberContacts joins a member's x.grp.direct.inv at once
	// instead of showing a request (SimpleX's autoAcceptMemberContacts).
	AutoAcceptMemberContacts bool
	// ReceiptsMaxMembers: group messages ask for delivery receipts only in
	// groups of at most this many members, me included (default 20, as
	// SimpleX). Above it a message shows how many members the relay took
	// it for (sent k/N), never "delivered".
	ReceiptsMaxMembers int
	// MaxEvents bounds the events waiting for a reader (default 100,000);
	// above it the oldest are dropped and an EVENTS_DROPPED error follows.
	MaxEvents int
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
	// Files: where file bytes are kept, FileRelay the file relay's URL
	// (…/files) new files go to, FileHTTP how it is reached; without
	// them, files can be neither sent nor downloaded.
	Files     FileStore
	FileRelay string
	FileHTTP  files.HTTP
}

// Client is one chat user: the API calls and the agent event handler.
type Client struct {
	cfg Config
	st  store.Store
	ag  Agent

	// seq numbers records (messages, queued member messages, errors); it
	// changes only inside transactions (under the agent's lock), views
	// read it.
	seq      atomic.Uint64
	seqOnce  sync.Mutex
	loaded   bool
	migrated atomic.Bool       // the records are of the current schema (migrate)
	cur      *tx               // the chat tx of the running agent transaction (agent's lock)
	rosters  map[string]roster // groups' members in memory (agent's lock; see roster.go)

	events  *fifo.Queue[Event]
	dropped atomic.Int64
	closed  atomic.Bool

	// the timed messages' expiry loop (timers.go)
	timerKick chan struct{}
	stop      chan struct{}
	timerDone chan struct{}
	startOnce sync.Once
	running   atomic.Bool

	// the file worker (filework.go)
	fileKick   chan struct{}
	fileDoneCh chan struct{}
	fileMu     sync.Mutex
	fileWait   map[string][]chan struct{}
	owed       atomic.Bool // some member is owed a file's description (c.flater)

	moved atomic.Bool // ElsewhereEvent was emitted (once per run; sync.go)
}

// New returns a Client; register HandleEvent as the agent's handler
// (chat/agentconn does for *agent.Agent), then call Start.
func New(cfg Config) (*Client, error) {
	if cfg.Store == nil || cfg.Agent == nil {
		return nil, newErr(CodeBadRequest, "Config needs Store and Agent")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReceiptsMaxMembers <= 0 {
		cfg.ReceiptsMaxMembers = 20
	}
	if cfg.MaxEvents <= 0 {
		cfg.MaxEvents = 100000
	}
	return &Client{cfg: cfg, st: cfg.Store, ag: cfg.Agent, events: fifo.New[Event](cfg.MaxEvents), rosters: map[string]roster{},
		timerKick: make(chan struct{}, 1), stop: make(chan struct{}), timerDone: make(chan struct{}),
		fileKick: make(chan struct{}, 1), fileDoneCh: make(chan struct{}), fileWait: map[string][]chan struct{}{}}, nil
}

// Start loads the state and runs the timed messages' timers. The agent
// may be started before or after it; records written by an older version
// are brought up to date in the first transaction (migrate).
func (c *Client) Start(ctx context.Context) error {
	if err := c.load(ctx); err != nil {
		return err
	}
	c.startOnce.Do(func() {
		c.running.Store(true)
		go c.expiryLoop()
		go c.fileLoop()
	})
	return nil
}

// Close ends the event stream and the timers (it does not close the store
// or the agent); later calls fail CLOSED.
func (c *Client) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		close(c.stop)
		if c.running.Load() {
			<-c.timerDone
			<-c.fileDoneCh
		}
		c.events.Close()
	}
	return nil
}

// Events is the queue of typed events, in commit order. Take them with
// Pop or PopBatch; it is closed by Close.
func (c *Client) Events() *fifo.Queue[Event] { return c.events }

// publish emits a committed transaction's events (a commit hook: it only
// queues). Of a message's updates in one transaction only the last goes
// out, in its place: it carries the whole message, and the reactions of
// a thousand members that arrive in one batch would otherwise be a
// thousand events for the app to render.
func (c *Client) publish(t *tx) {
	if c.cur == t {
		c.cur = nil
	}
	last := map[string]int{}
	for i, ev := range t.evs {
		if u, ok := ev.(UpdateEvent); ok {
			last[u.Message.MessageID] = i
		}
	}
	for i, ev := range t.evs {
		if u, ok := ev.(UpdateEvent); ok && last[u.Message.MessageID] != i {
			continue
		}
		c.push(ev)
	}
	for _, id := range t.dlvKeys {
		c.push(*t.dlv[id])
	}
}

func (c *Client) push(ev Event) {
	if c.events.PushDropOldest(ev) {
		if n := c.dropped.Add(1); n == 1 || n%1000 == 0 {
			c.events.PushDropOldest(ErrorEvent{Code: CodeEventsDropped,
				Detail: fmt.Sprintf("%d events dropped: nobody read them", n)})
		}
	}
}

func (c *Client) now() time.Time { return c.cfg.Now().UTC() }

// load reads the record sequence number once, before anything uses it
// (Start, API calls, views, events: the agent may hand over an event
// before Start).
func (c *Client) load(ctx context.Context) error {
	c.seqOnce.Lock()
	defer c.seqOnce.Unlock()
	if c.loaded {
		return nil
	}
	b, err := c.st.Get(ctx, bMeta, "seq")
	if err == nil {
		n, _ := strconv.ParseUint(string(b), 10, 64)
		c.seq.Store(n)
	} else if err != store.ErrNotFound {
		return wrapErr(CodeStore, err, "load")
	}
	owed, err := c.st.List(ctx, bFLater, "")
	if err != nil {
		return wrapErr(CodeStore, err, "load")
	}
	c.owed.Store(len(owed) > 0)
	c.loaded = true
	return nil
}

// nextSeq takes the next record number (inside a transaction; a number
// of a dropped attempt is skipped, which is harmless).
func (c *Client) nextSeq(t *tx) uint64 {
	n := c.seq.Add(1)
	t.Put(bMeta, "seq", []byte(strconv.FormatUint(n, 10)))
	return n
}

// update runs fn as one transaction (API calls). fn may run again (see
// agent.Tx.Reserve): it must decide from what it reads.
func (c *Client) update(ctx context.Context, fn func(t *tx) error) error {
	if c.closed.Load() {
		return newErr(CodeClosed, "client closed")
	}
	if err := c.load(ctx); err != nil {
		return err
	}
	return fromAgent(c.ag.Update(ctx, func(at Tx) error {
		t := c.wrap(at, false)
		if err := c.migrate(t); err != nil {
			return err
		}
		return fn(t)
	}))
}

// view runs fn on the store, read-only.
func (c *Client) view(ctx context.Context, fn func(t *tx) error) error {
	if err := c.load(ctx); err != nil {
		return err
	}
	return fn(&tx{Tx: roTx{ctx: ctx, st: c.st}, c: c, view: true, msgs: map[string]*msgRec{}, mem: map[string]*memberRec{}})
}

// HandleEvent is the agent's handler: what it does through at commits
// with the agent's state for ev. An error means "retry later".
func (c *Client) HandleEvent(at Tx, ev agent.Event) error {
	if err := c.load(at.Context()); err != nil {
		return err // the agent retries the event
	}
	t := c.wrap(at, true)
	if err := c.migrate(t); err != nil {
		return err
	}
	return c.dispatch(t, ev)
}

// record keeps a skipped incoming event and reports it as an ErrorEvent.
func (c *Client) record(t *tx, e errRec) {
	e.Ts = c.now()
	t.put(bErr, seqKey(c.nextSeq(t)), e)
	t.emit(ErrorEvent{Code: e.Code, Detail: e.Detail, GroupID: e.GroupID, ContactID: e.ContactID, MemberID: e.MemberID})
}

// Skipped lists the incoming events recorded and skipped, oldest first.
func (c *Client) Skipped(ctx context.Context) ([]ErrorEvent, error) {
	var out []ErrorEvent
	err := c.view(ctx, func(t *tx) error {
		recs, err := listJSON[errRec](t, bErr, "")
		for _, e := range recs {
			out = append(out, ErrorEvent{Code: e.Code, Detail: e.Detail, GroupID: e.GroupID, ContactID: e.ContactID, MemberID: e.MemberID})
		}
		return err
	})
	return out, err
}

// encode encodes one message of ours (with our version range and a fresh msgId).
func encode(p proto.Params) []byte {
	b, err := proto.Encode(&proto.Message{V: proto.Current, MsgID: proto.Bytes(newMemberID()), Params: p})
	if err != nil {
		panic("chat: encode own message: " + err.Error())
	}
	return b
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// reconnecter is an Agent that can reconnect to its relays at once
// (*agent.Agent); Reconnect is a no-op for agents without it.
type reconnecter interface {
	Reconnect(ctx context.Context) error
}

// Reconnect asks the agent to reconnect now to every relay it is not
// connected to (skipping the backoff wait) and to retry its outbox; call it
// when the device comes back online. It returns once that is asked, not
// when the relays are up.
func (c *Client) Reconnect(ctx context.Context) error {
	r, ok := c.ag.(reconnecter)
	if !ok {
		return nil
	}
	return wrapErr(CodeAgent, r.Reconnect(ctx), "reconnect")
}
