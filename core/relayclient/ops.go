package relayclient

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/sxweb/sxweb/relay/wire"
)

// do sends t on the current session (signed with mac unless nil) and waits
// for its response.
func (c *Client) do(ctx context.Context, t wire.Transmission, mac func(relayPub []byte) ([]byte, error), want wire.Code) (*wire.Transmission, error) {
	s, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	var key []byte
	if mac != nil {
		if key, err = mac(s.relayPub); err != nil {
			return nil, err
		}
	}
	r, err := s.enqueue(t, key, true).wait(ctx)
	return expect(r, err, want)
}

func (c *Client) recipientMAC(q RecipientQueue) func([]byte) ([]byte, error) {
	return func(relayPub []byte) ([]byte, error) { return c.macKey(q.AuthKey, relayPub) }
}

func expect(r *wire.Transmission, err error, code wire.Code) (*wire.Transmission, error) {
	if err != nil {
		return r, err
	}
	if r.Code != code {
		return r, ErrProtocol
	}
	return r, nil
}

// CreateQueue creates a queue on the relay; the relay subscribes it to this
// connection at once, and the client remembers it for re-subscription.
func (c *Client) CreateQueue(ctx context.Context) (RecipientQueue, error) {
	authPriv, authPub := wire.NewKeyPair()
	dhPriv, dhPub := wire.NewKeyPair()
	q := RecipientQueue{Server: c.url, AuthKey: authPriv, DHKey: dhPriv}
	r, err := c.do(ctx, wire.Transmission{Code: wire.NEW, Key1: authPub, Key2: dhPub}, c.recipientMAC(q), wire.IDS)
	if err != nil {
		return RecipientQueue{}, err
	}
	q.RecipientID, q.SenderID, q.ServerDHKey = clone(r.RecipientID), clone(r.SenderID), clone(r.ServerDHKey)
	c.remember(q)
	c.queueKeys(q)
	return q, nil
}

// Subscribe subscribes every queue (SUBs with empty correlation ids, packed
// into as few frames as fit) and remembers them, also when not connected
// (they are subscribed on the next connection). errs[i] is q[i]'s result;
// a queue the relay refuses (AUTH) is forgotten.
func (c *Client) Subscribe(ctx context.Context, qs []RecipientQueue) []error {
	var s *session
	err := c.waitFirst(ctx)
	if err == nil {
		c.mu.Lock()
		for _, q := range qs {
			c.queues[string(q.RecipientID)] = q
		}
		if s = c.cur; s == nil {
			err = ErrNotConnected
		}
		c.mu.Unlock()
	} else {
		for _, q := range qs {
			c.remember(q)
		}
	}
	if err != nil {
		errs := make([]error, len(qs))
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	return c.subscribeOn(ctx, s, qs)
}

func (c *Client) subscribeOn(ctx context.Context, s *session, qs []RecipientQueue) []error {
	errs := make([]error, len(qs))
	macs := c.macKeys(qs, s.relayPub, errs)
	items := make([]item, 0, len(qs))
	idx := make([]int, 0, len(qs))
	for i, q := range qs {
		if errs[i] != nil {
			continue
		}
		items = append(items, item{t: wire.Transmission{EntityID: q.RecipientID, Code: wire.SUB}, mac: macs[i]})
		idx = append(idx, i)
	}
	calls := make([]*call, len(qs))
	for j, cl := range s.enqueueSubs(items) { // all at once: the writer packs them into full frames
		calls[idx[j]] = cl
	}
	for i, cl := range calls {
		if cl == nil {
			continue
		}
		r, err := cl.wait(ctx)
		if err == nil && r.Code != wire.OK {
			err = ErrProtocol
		}
		if r != nil && r.Code == wire.ERR && r.Err == wire.ErrAuth {
			c.forget(qs[i].RecipientID)
		}
		errs[i] = err
	}
	return errs
}

// macKeys returns the authenticator keys of qs, deriving uncached ones on
// every core (a cold start with many queues costs one X25519 each).
func (c *Client) macKeys(qs []RecipientQueue, relayPub []byte, errs []error) [][]byte {
	macs := make([][]byte, len(qs))
	workers := min(runtime.GOMAXPROCS(0), 1+len(qs)/256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(qs); i += workers {
				macs[i], errs[i] = c.macKey(qs[i].AuthKey, relayPub)
			}
		}(w)
	}
	wg.Wait()
	return macs
}

// Ack acknowledges msgID; the relay then delivers the queue's next message.
func (c *Client) Ack(ctx context.Context, q RecipientQueue, msgID []byte) error {
	_, err := c.do(ctx, wire.Transmission{EntityID: q.RecipientID, Code: wire.ACK, MsgID: msgID}, c.recipientMAC(q), wire.OK)
	return err
}

// Get returns the queue's oldest message without subscribing (nil, nil
// when it is empty). Not allowed on a queue this client is subscribed to.
func (c *Client) Get(ctx context.Context, q RecipientQueue) (*Message, error) {
	r, err := c.do(ctx, wire.Transmission{EntityID: q.RecipientID, Code: wire.GET}, c.recipientMAC(q), wire.MSG)
	if errors.Is(err, ErrNoMsg) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	box, err := wire.BoxKey(q.DHKey, q.ServerDHKey)
	if err != nil {
		return nil, err
	}
	return openMsg(&keys{box: box}, r)
}

// Suspend stops the relay accepting new messages for the queue.
func (c *Client) Suspend(ctx context.Context, q RecipientQueue) error {
	_, err := c.do(ctx, wire.Transmission{EntityID: q.RecipientID, Code: wire.OFF}, c.recipientMAC(q), wire.OK)
	return err
}

// Delete deletes the queue and its messages, and forgets it.
func (c *Client) Delete(ctx context.Context, q RecipientQueue) error {
	_, err := c.do(ctx, wire.Transmission{EntityID: q.RecipientID, Code: wire.DEL}, c.recipientMAC(q), wire.OK)
	if err == nil || errors.Is(err, ErrAuth) {
		c.forget(q.RecipientID)
	}
	return err
}

// Secure installs the sender's key on the queue senderID (SKEY, once; a
// retry with the same key succeeds).
func (c *Client) Secure(ctx context.Context, senderID, senderAuthKey []byte) error {
	pub, err := wire.PublicKey(senderAuthKey)
	if err != nil {
		return err
	}
	mac := func(relayPub []byte) ([]byte, error) { return c.macKey(senderAuthKey, relayPub) }
	_, err = c.do(ctx, wire.Transmission{EntityID: senderID, Code: wire.SKEY, Key1: pub}, mac, wire.OK)
	return err
}

// Send sends body to the queue senderID, authenticated with senderAuthKey
// (nil: unauthenticated, only accepted by an unsecured queue such as a
// contact address).
func (c *Client) Send(ctx context.Context, senderID, senderAuthKey, body []byte) error {
	var mac func([]byte) ([]byte, error)
	if senderAuthKey != nil {
		mac = func(relayPub []byte) ([]byte, error) { return c.macKey(senderAuthKey, relayPub) }
	}
	_, err := c.do(ctx, wire.Transmission{EntityID: senderID, Code: wire.SEND, Body: body}, mac, wire.OK)
	return err
}

// Ping checks the connection with a PING/PONG round trip.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.do(ctx, wire.Transmission{Code: wire.PING}, nil, wire.PONG)
	return err
}

// NewSenderKey returns a fresh X25519 private key for Secure and Send.
func NewSenderKey() []byte {
	priv, _ := wire.NewKeyPair()
	return priv
}
