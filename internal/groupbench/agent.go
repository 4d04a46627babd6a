package groupbench

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/fifo"
	"github.com/sxweb/sxweb/core/relayclient"
)

// Messages counts the chat messages a client hands to its agent, by
// protocol event (a batch counts each event it carries), and the agent
// bodies (one per Send).
type Messages struct {
	mu     sync.Mutex
	events map[string]int64
	bodies atomic.Int64
	bytes  atomic.Int64
}

func (m *Messages) add(body []byte) {
	m.bodies.Add(1)
	m.bytes.Add(int64(len(body)))
	msgs, err := proto.Decode(body)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events == nil {
		m.events = map[string]int64{}
	}
	if err != nil {
		m.events["?"]++
		return
	}
	for _, x := range msgs {
		m.events[x.Event()]++
	}
}

// MsgCount is a snapshot of Messages.
type MsgCount struct {
	Bodies, Bytes int64
	Events        map[string]int64
}

// Snapshot copies the counts.
func (m *Messages) Snapshot() MsgCount {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev := make(map[string]int64, len(m.events))
	for k, v := range m.events {
		ev[k] = v
	}
	return MsgCount{Bodies: m.bodies.Load(), Bytes: m.bytes.Load(), Events: ev}
}

// Add returns a + b.
func (a MsgCount) Add(b MsgCount) MsgCount {
	ev := make(map[string]int64, len(a.Events))
	for k, v := range a.Events {
		ev[k] = v
	}
	for k, v := range b.Events {
		ev[k] += v
	}
	return MsgCount{Bodies: a.Bodies + b.Bodies, Bytes: a.Bytes + b.Bytes, Events: ev}
}

// Sub returns a - b.
func (a MsgCount) Sub(b MsgCount) MsgCount {
	ev := make(map[string]int64, len(a.Events))
	for k, v := range a.Events {
		ev[k] = v
	}
	for k, v := range b.Events {
		ev[k] -= v
	}
	return MsgCount{Bodies: a.Bodies - b.Bodies, Bytes: a.Bytes - b.Bytes, Events: ev}
}

// countingAgent is a chat.Agent that counts what the chat layer sends
// (each copy of a SendMany is a body), for the transactions that commit.
type countingAgent struct {
	chat.Agent
	m *Messages
}

func (a countingAgent) Update(ctx context.Context, fn func(chat.Tx) error) error {
	return a.Agent.Update(ctx, func(t chat.Tx) error { return fn(countingTx{Tx: t, m: a.m}) })
}

// countingHandler counts what the handler sends, as countingAgent does.
func countingHandler(h func(chat.Tx, agent.Event) error, m *Messages) agent.Handler {
	return func(t *agent.Tx, ev agent.Event) error { return h(countingTx{Tx: t, m: m}, ev) }
}

type countingTx struct {
	chat.Tx
	m *Messages
}

func (t countingTx) Send(connID string, body []byte, o agent.SendOptions) (uint64, error) {
	n, err := t.Tx.Send(connID, body, o)
	if err == nil {
		t.OnCommit(func() { t.m.add(body) })
	}
	return n, err
}

func (t countingTx) SendMany(connIDs []string, body []byte, o agent.SendOptions) (int, error) {
	n, err := t.Tx.SendMany(connIDs, body, o)
	if err == nil {
		t.OnCommit(func() {
			for range n {
				t.m.add(body)
			}
		})
	}
	return n, err
}

// upWatch wraps an agent.RelayClient and counts the relay connection's
// Up events: the relay client reports Up after it has re-subscribed every
// queue it remembers.
type upWatch struct {
	agent.RelayClient
	out  *fifo.Queue[relayclient.Event]
	ups  atomic.Int64
	kick chan struct{} // signalled (non-blocking) on every Up
	done chan struct{}
	once sync.Once
}

func newUpWatch(rc agent.RelayClient) *upWatch {
	w := &upWatch{RelayClient: rc, out: fifo.New[relayclient.Event](1 << 20), kick: make(chan struct{}, 1), done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-w.done
		cancel()
	}()
	go func() {
		defer w.out.Close()
		for {
			ev, err := rc.Events().Pop(ctx)
			if err != nil {
				return
			}
			if _, ok := ev.(relayclient.Up); ok {
				w.ups.Add(1)
				select {
				case w.kick <- struct{}{}:
				default:
				}
			}
			_ = w.out.Push(ev)
		}
	}()
	return w
}

func (w *upWatch) Events() *fifo.Queue[relayclient.Event] { return w.out }

func (w *upWatch) Close() error {
	w.once.Do(func() { close(w.done) })
	return w.RelayClient.Close()
}
