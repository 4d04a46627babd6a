package relay_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/curve25519"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/wire"
)

// Authenticator costs: what the relay would pay per command with each choice.
func BenchmarkAuth(b *testing.B) {
	msg := make([]byte, 32+1+4+24+200) // session ‖ header ‖ corr ‖ entity ‖ small command
	rand.Read(msg)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sig := ed25519.Sign(priv, msg)
	b.Run("Ed25519Sign", func(b *testing.B) {
		for b.Loop() {
			ed25519.Sign(priv, msg)
		}
	})
	b.Run("Ed25519Verify", func(b *testing.B) {
		for b.Loop() {
			ed25519.Verify(pub, msg, sig)
		}
	})
	cp, _ := wire.NewKeyPair()
	_, sp := wire.NewKeyPair()
	b.Run("X25519", func(b *testing.B) {
		for b.Loop() {
			curve25519.X25519(cp, sp)
		}
	})
	b.Run("X25519+HKDF(uncached)", func(b *testing.B) {
		for b.Loop() {
			wire.MACKey(cp, sp)
		}
	})
	mac, _ := wire.MACKey(cp, sp)
	sess := make([]byte, 32)
	t := wire.Transmission{CorrID: []byte{1, 2, 3, 4}, EntityID: make([]byte, 24), Code: wire.SEND, Body: make([]byte, 200)}
	f := wire.AppendTransmission(nil, &t, wire.SignerFor(mac, sess))
	rawT, _, _ := wire.NextRaw(f)
	dec, _ := wire.Decode(rawT)
	b.Run("HMACVerify(cached)", func(b *testing.B) {
		for b.Loop() {
			if !wire.Verify(mac, sess, &dec) {
				b.Fatal("bad tag")
			}
		}
	})
}

// benchConfig is the relay with its default limits, so that what they
// cost is in the figures, except the NEW allowances: the benchmarks'
// setup creates up to 10,000 queues from one session at once.
func benchConfig() relay.Config {
	return relay.Config{Limits: relay.Limits{NewBurst: -1, NewBurstPerAddr: -1}}
}

// countingConn counts the bytes and frames a Client sends and receives.
type countingConn struct {
	relayclient.Conn
	up, down, framesUp, framesDown *atomic.Int64
}

func (c countingConn) Read(ctx context.Context) ([]byte, error) {
	f, err := c.Conn.Read(ctx)
	c.down.Add(int64(len(f)))
	c.framesDown.Add(1)
	return f, err
}

func (c countingConn) Write(ctx context.Context, f []byte) error {
	c.up.Add(int64(len(f)))
	c.framesUp.Add(1)
	return c.Conn.Write(ctx, f)
}

type counters struct {
	up, down, framesUp, framesDown atomic.Int64
	mu                             sync.Mutex
	last                           relayclient.Conn
}

func (k *counters) dial(ctx context.Context, url string) (relayclient.Conn, error) {
	c, err := wsdial.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.last = c
	k.mu.Unlock()
	return countingConn{c, &k.up, &k.down, &k.framesUp, &k.framesDown}, nil
}

func (k *counters) reset() {
	k.up.Store(0)
	k.down.Store(0)
	k.framesUp.Store(0)
	k.framesDown.Store(0)
}

// BenchmarkThroughput: send → deliver → ACK over loopback WebSocket, with
// the bbolt store (every SEND and ACK fsync'd, group-committed), many
// queues, one sending and one receiving connection.
func BenchmarkThroughput(b *testing.B) {
	const queues, senders = 1000, 200
	r := relaytest.Start(b, benchConfig())
	ctx := context.Background()
	ka, kb := &counters{}, &counters{}
	alice := relayclient.New(r.URL, ka.dial, relayclient.Options{})
	bob := relayclient.New(r.URL, kb.dial, relayclient.Options{})
	defer alice.Close()
	defer bob.Close()
	qs := make([]relayclient.RecipientQueue, queues)
	var wg sync.WaitGroup
	for i := range qs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			q, err := alice.CreateQueue(ctx)
			if err != nil {
				b.Error(err)
			}
			qs[i] = q
		}(i)
	}
	wg.Wait()
	byID := map[string]relayclient.RecipientQueue{}
	for _, q := range qs {
		byID[string(q.RecipientID)] = q
	}
	body := make([]byte, 256)
	ka.reset()
	kb.reset()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			for {
				n := next.Add(1) - 1
				if n >= int64(b.N) {
					return
				}
				q := qs[int(n)%queues]
				if err := bob.Send(ctx, q.SenderID, nil, body); err != nil {
					b.Error(err)
					return
				}
			}
		}(s)
	}
	delivered := 0
	acks := make(chan struct{}, 4096)
	for delivered < b.N {
		ev, _ := alice.Events().Pop(ctx)
		m, ok := ev.(relayclient.Message)
		if !ok {
			continue
		}
		delivered++
		acks <- struct{}{}
		go func() {
			if err := alice.Ack(ctx, byID[string(m.RecipientID)], m.MsgID); err != nil {
				b.Error(err)
			}
			<-acks
		}()
	}
	wg.Wait()
	for len(acks) > 0 {
		time.Sleep(time.Millisecond)
	}
	el := time.Since(start)
	b.ReportMetric(float64(b.N)/el.Seconds(), "msg/s")
	if bs, ok := r.Server().StoreStats(); ok {
		b.ReportMetric(float64(bs.Ops)/float64(max(bs.Commits, 1)), "writes/commit")
	}
	// Frames the relay wrote: to the receiver (MSGs and ACK responses) and to the sender (SEND responses).
	b.ReportMetric(float64(ka.framesDown.Load()+kb.framesDown.Load())/float64(b.N), "frames-down/msg")
	b.ReportMetric(float64(ka.down.Load()+kb.down.Load())/float64(b.N), "bytes-down/msg")
	b.ReportMetric(float64(ka.framesDown.Load())/float64(b.N), "recv-frames/msg")
}

// createQueues creates n queues through c.
func createQueues(b *testing.B, c *relayclient.Client, n int) []relayclient.RecipientQueue {
	ctx := context.Background()
	qs := make([]relayclient.RecipientQueue, n)
	sem := make(chan struct{}, 256)
	var wg sync.WaitGroup
	for i := range qs {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			q, err := c.CreateQueue(ctx)
			if err != nil {
				b.Error(err)
			}
			qs[i] = q
		}(i)
	}
	wg.Wait()
	return qs
}

// BenchmarkResubscribe10k: a client that remembers 10,000 queues loses its
// connection; measured from the drop until every queue is re-subscribed.
func BenchmarkResubscribe10k(b *testing.B) {
	const n = 10000
	r := relaytest.Start(b, benchConfig())
	k := &counters{}
	c := relayclient.New(r.URL, k.dial, relayclient.Options{MinBackoff: time.Millisecond, Logf: b.Logf})
	defer c.Close()
	createQueues(b, c, n)
	for { // the Up of the first connection
		if ev, _ := c.Events().Pop(context.Background()); isUp(ev) {
			break
		}
	}
	b.ResetTimer()
	for b.Loop() {
		k.mu.Lock()
		last := k.last
		k.mu.Unlock()
		k.reset()
		last.Close() // drop the connection
		for {
			ev, _ := c.Events().Pop(context.Background())
			if up, ok := ev.(relayclient.Up); ok {
				if up.Resubscribed != n {
					b.Fatalf("resubscribed %d of %d", up.Resubscribed, n)
				}
				break
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(k.up.Load()), "bytes-up")
	b.ReportMetric(float64(k.down.Load()), "bytes-down")
	b.ReportMetric(float64(k.framesUp.Load()), "frames-up")
	b.ReportMetric(float64(k.framesDown.Load()), "frames-down")
}

// BenchmarkSubscribe10kColdClient: a freshly started client (no cached
// authenticator keys: one X25519 per queue) connects and subscribes
// 10,000 queues.
func BenchmarkSubscribe10kColdClient(b *testing.B) {
	const n = 10000
	r := relaytest.Start(b, benchConfig())
	maker := relayclient.New(r.URL, wsdial.Dial, relayclient.Options{})
	qs := createQueues(b, maker, n)
	maker.Close()
	k := &counters{}
	b.ResetTimer()
	for b.Loop() {
		c := relayclient.New(r.URL, k.dial, relayclient.Options{})
		for i, err := range c.Subscribe(context.Background(), qs) {
			if err != nil {
				b.Fatalf("queue %d: %v", i, err)
			}
		}
		c.Close()
	}
	b.StopTimer()
	b.ReportMetric(float64(k.up.Load())/float64(b.N), "bytes-up/op")
	b.ReportMetric(float64(k.down.Load())/float64(b.N), "bytes-down/op")
	b.ReportMetric(float64(k.framesDown.Load())/float64(b.N), "frames-down/op")
}

// BenchmarkLoneRoundTrip: one command at a time (nothing else in flight),
// so output coalescing has nothing to wait for: PING (no store), and
// SEND → MSG → ACK (two fsync'd writes).
func BenchmarkLoneRoundTrip(b *testing.B) {
	r := relaytest.Start(b, benchConfig())
	ctx := context.Background()
	c := relayclient.New(r.URL, wsdial.Dial, relayclient.Options{})
	defer c.Close()
	q := createQueues(b, c, 1)[0]
	b.Run("Ping", func(b *testing.B) {
		for b.Loop() {
			if err := c.Ping(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Send", func(b *testing.B) {
		for b.Loop() {
			if err := c.Send(ctx, q.SenderID, nil, []byte("x")); err != nil {
				b.Fatal(err)
			}
			var m relayclient.Message
			for ok := false; !ok; {
				ev, _ := c.Events().Pop(ctx)
				m, ok = ev.(relayclient.Message)
			}
			if err := c.Ack(ctx, q, m.MsgID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func isUp(ev relayclient.Event) bool { _, ok := ev.(relayclient.Up); return ok }
