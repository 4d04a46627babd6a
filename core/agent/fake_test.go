package agent

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/core/relayclient"
)

// fakeNet is an in-memory relay network with the relay semantics the agent
// relies on: one message at a time per queue until ACK, re-delivery of the
// unacknowledged message on (re)subscribe, SKEY once, AUTH on a wrong key.
type fakeNet struct {
	mu      sync.Mutex
	servers map[string]*fakeServer
	// tamper, when set, may change a body as it is delivered.
	tamper func(body []byte) []byte
	msgSeq int
}

type fakeServer struct {
	down    bool
	queues  map[string]*fq // by recipient id
	senders map[string]*fq // by sender id
	clients []*fakeClient
}

type fq struct {
	rid, sid []byte
	sndKey   []byte
	msgs     []fmsg
	sub      *fakeClient
	pending  bool
}

type fmsg struct{ id, body []byte }

type fakeClient struct {
	net    *fakeNet
	server string
	events *fifo.Queue[relayclient.Event]
}

var errFakeDown = errors.New("fake relay: not connected")

func newFakeNet() *fakeNet { return &fakeNet{servers: map[string]*fakeServer{}} }

func (n *fakeNet) srv(server string) *fakeServer {
	s := n.servers[server]
	if s == nil {
		s = &fakeServer{queues: map[string]*fq{}, senders: map[string]*fq{}}
		n.servers[server] = s
	}
	return s
}

func (n *fakeNet) client(server string) RelayClient {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := &fakeClient{net: n, server: server, events: fifo.New[relayclient.Event](100000)}
	s := n.srv(server)
	s.clients = append(s.clients, c)
	return c
}

// setDown simulates the relay going away (down) or coming back (up): the
// clients see Down/Up, unacknowledged messages are re-delivered on return.
func (n *fakeNet) setDown(server string, down bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.srv(server)
	s.down = down
	for _, c := range s.clients {
		if down {
			c.events.Push(relayclient.Down{Server: server})
		} else {
			c.events.Push(relayclient.Up{Server: server})
		}
	}
	for _, q := range s.queues {
		q.pending = false
		n.deliver(s, q)
	}
}

func (n *fakeNet) deliver(s *fakeServer, q *fq) {
	if s.down || q.sub == nil || q.pending || len(q.msgs) == 0 {
		return
	}
	q.pending = true
	m := q.msgs[0]
	body := append([]byte{}, m.body...)
	if n.tamper != nil {
		body = n.tamper(body)
	}
	q.sub.events.Push(relayclient.Message{RecipientID: q.rid, MsgID: m.id, Body: body})
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func (c *fakeClient) Events() *fifo.Queue[relayclient.Event] { return c.events }

func (c *fakeClient) WaitConnected(ctx context.Context) error {
	for {
		c.net.mu.Lock()
		down := c.net.srv(c.server).down
		c.net.mu.Unlock()
		if !down {
			return nil
		}
		select {
		case <-ctx.Done():
			return relayclient.ErrNotConnected
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (c *fakeClient) op(f func(s *fakeServer) error) error {
	c.net.mu.Lock()
	defer c.net.mu.Unlock()
	s := c.net.srv(c.server)
	if s.down {
		return errFakeDown
	}
	return f(s)
}

func (c *fakeClient) CreateQueue(context.Context) (Queue, error) {
	var q Queue
	err := c.op(func(s *fakeServer) error {
		f := &fq{rid: randBytes(24), sid: randBytes(24), sub: c}
		s.queues[string(f.rid)], s.senders[string(f.sid)] = f, f
		q = Queue{Server: c.server, RecipientID: f.rid, SenderID: f.sid, AuthKey: randBytes(32)}
		return nil
	})
	return q, err
}

func (c *fakeClient) Subscribe(_ context.Context, qs []Queue) []error {
	errs := make([]error, len(qs))
	c.net.mu.Lock()
	for _, q := range qs { // remembered also while down, like relayclient
		if f := c.net.srv(c.server).queues[string(q.RecipientID)]; f != nil {
			f.sub = c
		}
	}
	c.net.mu.Unlock()
	err := c.op(func(s *fakeServer) error {
		for i, q := range qs {
			f := s.queues[string(q.RecipientID)]
			if f == nil {
				errs[i] = relayclient.ErrAuth
				continue
			}
			if f.sub != nil && f.sub != c {
				f.sub.events.Push(relayclient.End{RecipientID: f.rid})
			}
			f.sub, f.pending = c, false
			c.net.deliver(s, f)
		}
		return nil
	})
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
	}
	return errs
}

func (c *fakeClient) Ack(_ context.Context, q Queue, msgID []byte) error {
	return c.op(func(s *fakeServer) error {
		f := s.queues[string(q.RecipientID)]
		if f == nil {
			return relayclient.ErrAuth
		}
		if !f.pending || len(f.msgs) == 0 || !bytes.Equal(f.msgs[0].id, msgID) {
			return relayclient.ErrNoMsg
		}
		f.msgs, f.pending = f.msgs[1:], false
		c.net.deliver(s, f)
		return nil
	})
}

func (c *fakeClient) Secure(_ context.Context, sid, key []byte) error {
	return c.op(func(s *fakeServer) error {
		f := s.senders[string(sid)]
		if f == nil || f.sndKey != nil && !bytes.Equal(f.sndKey, key) {
			return relayclient.ErrAuth
		}
		f.sndKey = key
		return nil
	})
}

func (c *fakeClient) Send(_ context.Context, sid, key, body []byte) error {
	return c.op(func(s *fakeServer) error {
		f := s.senders[string(sid)]
		if f == nil || !bytes.Equal(f.sndKey, key) {
			return relayclient.ErrAuth
		}
		c.net.msgSeq++
		f.msgs = append(f.msgs, fmsg{id: randBytes(8), body: append([]byte{}, body...)})
		c.net.deliver(s, f)
		return nil
	})
}

func (c *fakeClient) Delete(_ context.Context, q Queue) error {
	return c.op(func(s *fakeServer) error {
		f := s.queues[string(q.RecipientID)]
		if f == nil {
			return relayclient.ErrAuth
		}
		delete(s.queues, string(f.rid))
		delete(s.senders, string(f.sid))
		return nil
	})
}

func (c *fakeClient) Close() error { return nil }

// queued returns how many messages wait in all queues of server.
func (n *fakeNet) queued(server string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := 0
	for _, q := range n.srv(server).queues {
		k += len(q.msgs)
	}
	return k
}
