package chat

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/store"
)

// Config configures a Client.
type Config struct {
	Store store.Store
	Agent Agent
	// AutoAcceptMemberContacts joins a member's x.grp.direct.inv at once
	// instead of showing a request (SimpleX's autoAcceptMemberContacts).
	AutoAcceptMemberContacts bool
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
}

// Client is one chat user: the API calls and the agent event handler.
type Client struct {
	cfg Config
	st  store.Store
	ag  Agent

	mu       sync.Mutex
	seq      uint64
	ran      map[string]bool             // tasks the worker has done (recently)
	inflight int                         // agent calls running without mu (see unlocked)
	early    map[string][]AgentEventKind // Sent/Delivered seen before their record
	inviting map[string]bool             // groupID/memberID: StartDirectChat inviting without mu

	pump    *pump
	wake    chan []string
	done    chan struct{}
	wg      sync.WaitGroup
	loaded  bool // seq read from the store (load)
	started bool
	closed  bool
}

// New returns a Client; register HandleAgentEvent as the agent's handler
// (through chat/agentconn for *agent.Agent), then call Start.
func New(cfg Config) (*Client, error) {
	if cfg.Store == nil || cfg.Agent == nil {
		return nil, newErr(CodeBadRequest, "Config needs Store and Agent")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, st: cfg.Store, ag: cfg.Agent, pump: newPump(),
		wake: make(chan []string, 64), done: make(chan struct{}), ran: map[string]bool{}, early: map[string][]AgentEventKind{},
		inviting: map[string]bool{}}
	return c, nil
}

// Start loads the state and starts the task worker (it resumes tasks left
// by a previous run).
func (c *Client) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started {
		return nil
	}
	if err := c.load(ctx); err != nil {
		return err
	}
	c.started = true
	c.wg.Add(1)
	go c.worker()
	c.wake <- nil
	return nil
}

// Close stops the worker and the event stream (it does not close the
// store or the agent).
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.done)
	c.mu.Unlock()
	c.wg.Wait()
	c.pump.close()
	return nil
}

// Events is the stream of typed events, in order.
func (c *Client) Events() <-chan Event { return c.pump.out }

func (c *Client) now() time.Time { return c.cfg.Now().UTC() }

// load reads the message sequence number once, under c.mu, before
// anything uses it: Start, API calls, views and agent events. The agent
// may hand over an event before the host calls Start (it was started
// first and the relay answered at once); with seq still 0 that event's
// message took a number already used and hid the history.
func (c *Client) load(ctx context.Context) error {
	if c.loaded {
		return nil
	}
	b, err := c.st.Get(ctx, bMeta, "seq")
	if err == nil {
		c.seq, _ = strconv.ParseUint(string(b), 10, 64)
	} else if err != store.ErrNotFound {
		return wrapErr(CodeStore, err, "load")
	}
	c.loaded = true
	return nil
}

func (c *Client) nextSeq(t *tx) uint64 {
	c.seq++
	t.b.Put(bMeta, "seq", []byte(strconv.FormatUint(c.seq, 10)))
	return c.seq
}

// update runs fn in a new tx and applies it (API calls).
func (c *Client) update(ctx context.Context, fn func(t *tx) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return newErr(CodeClosed, "client closed")
	}
	if err := c.load(ctx); err != nil {
		return err
	}
	t := newTx(ctx, c.st, &store.Batch{})
	if err := fn(t); err != nil {
		return err
	}
	return c.commit(t)
}

// view runs fn on a read-only tx.
func (c *Client) view(ctx context.Context, fn func(t *tx) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.load(ctx); err != nil {
		return err
	}
	return fn(newTx(ctx, c.st, &store.Batch{}))
}

// afterCommit hands t's events and task wake-up to t's batch, to happen
// only once that batch commits (store.Commit, by the agent for a handler's
// batch, by commit for an API call's): nothing is emitted for writes that
// did not land, and a retried event emits once. It runs under the
// committer's locks, so it only queues (the pump and wake never block).
func (c *Client) afterCommit(t *tx) {
	evs, tasks := t.evs, t.tasks
	t.evs, t.tasks = nil, nil
	if len(evs) == 0 && len(tasks) == 0 {
		return
	}
	t.b.OnCommit(func() {
		for _, ev := range evs {
			c.pump.push(ev)
		}
		if len(tasks) > 0 {
			select {
			case c.wake <- tasks: // never closed; a stopped worker just leaves it
			default:
			}
		}
	})
}

// HandleAgentEvent is the agent's handler: what it writes goes in b and
// commits with the agent's state for ev. An error means "retry later".
// Its events are b's commit hooks: the agent must apply b with
// store.Commit, and they are emitted only if b commits.
func (c *Client) HandleAgentEvent(ctx context.Context, ev AgentEvent, b *store.Batch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.load(ctx); err != nil {
		return err // the agent retries the event
	}
	t := newTx(ctx, c.st, b)
	t.handler = true
	if err := c.dispatch(t, ev); err != nil {
		return err
	}
	c.afterCommit(t)
	return nil
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
