package relayclient

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/relay/wire"
)

// Client is the connection to one relay, shared by all its queues.
type Client struct {
	url  string
	dial Dialer
	opts Options

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	events *fifo.Queue[Event]
	first  chan struct{} // closed after the first connection attempt
	up     chan struct{} // closed while a session is up (guarded by mu)
	now    chan struct{} // Reconnect: end the backoff wait (buffered, 1)

	mu       sync.Mutex
	cur      *session
	queues   map[string]RecipientQueue // remembered subscriptions by recipient id
	keyCache map[string]*keys          // box keys by recipient id
	macCache map[string][]byte         // string(private key) → authenticator key
	relayPub []byte                    // relay auth key the caches are for
}

// New returns a Client for url; it starts connecting at once and keeps
// reconnecting with backoff until Close.
func New(url string, dial Dialer, opts Options) *Client {
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 10 * time.Second
	}
	if opts.PingInterval <= 0 {
		opts.PingInterval = 30 * time.Second
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{url: url, dial: dial, opts: opts, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		events: fifo.New[Event](eventSlack), first: make(chan struct{}), up: make(chan struct{}), now: make(chan struct{}, 1), queues: map[string]RecipientQueue{},
		keyCache: map[string]*keys{}, macCache: map[string][]byte{}}
	go c.run()
	return c
}

// URL is the relay URL this client connects to.
func (c *Client) URL() string { return c.url }

// Events returns the event queue; it is closed after Close. It is bounded
// by the relay's flow control: at most one MSG per remembered queue is
// outstanding until acknowledged, so its limit is the number of queues
// plus room for the other events. A relay that pushes more breaks the
// protocol: the session is dropped (and re-subscribed, so nothing is lost).
func (c *Client) Events() *fifo.Queue[Event] { return c.events }

// eventSlack is the room of the event queue beyond one MSG per queue
// (End, QueueDeleted, Up, Down).
const eventSlack = 1024

// push queues an event; false when the queue is full (see Events).
func (c *Client) push(ev Event) bool {
	if err := c.events.Push(ev); err != nil {
		c.opts.Logf("relayclient: %s: event queue: %v", c.url, err)
		return false
	}
	return true
}

// Connected reports whether a session is up now.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur != nil
}

// WaitConnected waits until a session is up (or ctx ends, or the client
// is closed).
func (c *Client) WaitConnected(ctx context.Context) error {
	for {
		c.mu.Lock()
		up, cur := c.up, c.cur
		c.mu.Unlock()
		if cur != nil {
			return nil
		}
		select {
		case <-up:
		case <-ctx.Done():
			return ErrNotConnected
		case <-c.ctx.Done():
			return ErrClosed
		}
	}
}

// Close drops the connection and stops reconnecting.
func (c *Client) Close() error {
	c.cancel()
	<-c.done
	c.events.Close()
	return nil
}

// Reconnect dials at once if the client is not connected, instead of
// waiting out its backoff (for example when the device comes back online),
// and resets the backoff. It returns without waiting for the attempt: Up
// reports success. When connected, or when an attempt is under way, it
// does nothing more.
func (c *Client) Reconnect() {
	c.mu.Lock()
	connected := c.cur != nil
	c.mu.Unlock()
	if connected {
		return
	}
	select {
	case c.now <- struct{}{}:
	default: // already asked
	}
}

// wait waits out a backoff of d, or less if Reconnect is called; it
// returns the next backoff.
func (c *Client) wait(backoff time.Duration) time.Duration {
	d := backoff/2 + rand.N(backoff/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return min(backoff*2, c.opts.MaxBackoff)
	case <-c.now:
		return c.opts.MinBackoff
	case <-c.ctx.Done():
		return backoff
	}
}

func (c *Client) run() {
	defer close(c.done)
	backoff := c.opts.MinBackoff
	firstDone := false
	for c.ctx.Err() == nil {
		select {
		case <-c.now: // asked while connecting or connected: this attempt is it
		default:
		}
		s, err := c.connect()
		if !firstDone {
			firstDone = true
			close(c.first)
		}
		if err != nil {
			c.opts.Logf("relayclient: connect %s: %v", c.url, err)
			backoff = c.wait(backoff)
			continue
		}
		began := time.Now()
		go s.pingLoop()
		c.resubscribe(s, s.resub)
		<-s.done
		c.mu.Lock()
		if c.cur == s {
			c.cur = nil
			c.up = make(chan struct{})
		}
		c.mu.Unlock()
		s.failAll()
		c.push(Down{Server: c.url, Err: s.err})
		if time.Since(began) > 10*time.Second {
			backoff = c.opts.MinBackoff // a healthy session: reconnect at once
		} else { // a relay that accepts and drops at once must not be hammered
			backoff = c.wait(backoff)
		}
	}
}

// connect dials, exchanges hellos and starts the session's loops.
func (c *Client) connect() (*session, error) {
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	conn, err := c.dial(ctx, c.url)
	if err != nil {
		return nil, err
	}
	f, err := conn.Read(ctx)
	if err != nil {
		conn.Close()
		return nil, err
	}
	h, err := wire.ParseServerHello(f)
	if err == nil && (h.MinVersion > wire.MaxVersion || h.MaxVersion < wire.MinVersion) {
		err = ErrProtocol
	}
	if err == nil {
		err = conn.Write(ctx, wire.AppendClientHello(nil, min(h.MaxVersion, wire.MaxVersion)))
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	s := newSession(c, conn, h)
	c.mu.Lock()
	if c.relayPub == nil || string(c.relayPub) != string(h.AuthKey[:]) {
		c.relayPub = h.AuthKey[:]
		c.macCache = map[string][]byte{}
	}
	c.cur = s
	close(c.up)
	// Snapshot under the lock that publishes s: a Subscribe that sees s
	// afterwards sends its own SUBs, one that did not is in the snapshot.
	for _, q := range c.queues {
		s.resub = append(s.resub, q)
	}
	c.mu.Unlock()
	go s.readLoop()
	go s.writeLoop()
	return s, nil
}

// current returns the live session, waiting for the first connection
// attempt if it has not finished yet.
func (c *Client) current(ctx context.Context) (*session, error) {
	if err := c.waitFirst(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx.Err() != nil {
		return nil, ErrClosed
	}
	if c.cur == nil {
		return nil, ErrNotConnected
	}
	return c.cur, nil
}

// waitFirst waits until the first connection attempt has finished.
func (c *Client) waitFirst(ctx context.Context) error {
	select {
	case <-c.first:
	case <-ctx.Done():
		return ctx.Err()
	}
	if c.ctx.Err() != nil {
		return ErrClosed
	}
	return nil
}

// macKey returns the cached authenticator key of priv for the relay.
func (c *Client) macKey(priv, relayPub []byte) ([]byte, error) {
	c.mu.Lock()
	k, ok := c.macCache[string(priv)]
	c.mu.Unlock()
	if ok {
		return k, nil
	}
	k, err := wire.MACKey(priv, relayPub)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if string(c.relayPub) == string(relayPub) {
		c.macCache[string(priv)] = k
	}
	c.mu.Unlock()
	return k, nil
}

// queueKeys returns the box key of q (cached while remembered; the
// authenticator key is cached separately by macKey).
func (c *Client) queueKeys(q RecipientQueue) (*keys, error) {
	c.mu.Lock()
	k, ok := c.keyCache[string(q.RecipientID)]
	c.mu.Unlock()
	if ok && string(k.q.DHKey) == string(q.DHKey) {
		return k, nil
	}
	k, err := deriveBox(q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.keyCache[string(q.RecipientID)] = k
	c.mu.Unlock()
	return k, nil
}

func (c *Client) remember(q RecipientQueue) {
	c.mu.Lock()
	c.queues[string(q.RecipientID)] = q
	c.events.SetLimit(len(c.queues) + eventSlack)
	c.mu.Unlock()
}

func (c *Client) forget(rid []byte) {
	c.mu.Lock()
	delete(c.queues, string(rid))
	delete(c.keyCache, string(rid))
	c.mu.Unlock()
}

func (c *Client) remembered(rid []byte) (RecipientQueue, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, ok := c.queues[string(rid)]
	return q, ok
}

// resubscribe SUBs the queues remembered when s connected (batched by the
// writer) and then reports Up.
func (c *Client) resubscribe(s *session, qs []RecipientQueue) {
	s.resub = nil
	errs := c.subscribeOn(c.ctx, s, qs)
	select {
	case <-s.done:
		return // dropped while re-subscribing: Down follows, no Up
	default:
	}
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			c.opts.Logf("relayclient: resubscribe %x: %v", qs[i].RecipientID[:4], err)
		}
	}
	c.push(Up{Server: c.url, Resubscribed: len(qs) - failed, Failed: failed})
}
