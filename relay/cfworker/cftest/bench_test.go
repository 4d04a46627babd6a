package cftest_test

import (
	"context"
	"errors"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// The same two benchmarks against the native relay and the local Worker
// in one run (docs/cloudflare.md records the figures):
//
//	go test -run '^$' -bench . -benchtime 200x ./relay/cfworker/cftest
//
// Latency: one message at a time, SEND → MSG at the subscriber → ACK.
// Throughput: benchSenders concurrent senders over benchQueues queues, the
// subscriber acknowledging every message as it arrives.
// SXWEB_BENCH_QUEUES and SXWEB_BENCH_SENDERS change the throughput shape.
var (
	benchQueues  = envInt("SXWEB_BENCH_QUEUES", 16)
	benchSenders = envInt("SXWEB_BENCH_SENDERS", 16)
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchWorker is a Worker with the default limits (quota 128, as the
// native relay), started on first use; the tests' Worker has a small quota.
var (
	benchWorkerOnce sync.Once
	benchWorker     *cftest.Worker
	benchWorkerErr  error
)

func relays(b *testing.B) map[string]string {
	urls := map[string]string{"native": relaytest.Start(b, relay.Config{}).URL}
	if worker == nil {
		b.Log("worker skipped: " + skipWhy)
		return urls
	}
	benchWorkerOnce.Do(func() {
		o := startOptions()
		o.Quota, o.NoBuild = 0, true
		benchWorker, benchWorkerErr = cftest.Start(o)
		if benchWorkerErr == nil {
			stopAfter = append(stopAfter, benchWorker.Stop)
		}
	})
	if benchWorkerErr != nil {
		b.Fatal(benchWorkerErr)
	}
	urls["worker"] = benchWorker.URL
	return urls
}

func BenchmarkLatency(b *testing.B) {
	for _, name := range []string{"native", "worker"} {
		url, ok := relays(b)[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) { benchLatency(b, url) })
	}
}

func BenchmarkThroughput(b *testing.B) {
	for _, name := range []string{"native", "worker"} {
		url, ok := relays(b)[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) { benchThroughput(b, url) })
	}
}

func benchClient(b *testing.B, url string) *relayclient.Client {
	c := relayclient.New(url, wsdial.Dial, relayclient.Options{})
	b.Cleanup(func() { c.Close() })
	return c
}

func benchLatency(b *testing.B, url string) {
	ctx := context.Background()
	alice, bob := benchClient(b, url), benchClient(b, url)
	q, err := alice.CreateQueue(ctx)
	must(b, err)
	body := make([]byte, 256)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		must(b, bob.Send(ctx, q.SenderID, nil, body))
		m := nextMsg(b, alice)
		lat = append(lat, time.Since(t0))
		must(b, alice.Ack(ctx, q, m.MsgID))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
}

func benchThroughput(b *testing.B, url string) {
	ctx := context.Background()
	alice, bob := benchClient(b, url), benchClient(b, url)
	qs := make([]relayclient.RecipientQueue, benchQueues)
	byID := map[string]relayclient.RecipientQueue{}
	for i := range qs {
		q, err := alice.CreateQueue(ctx)
		must(b, err)
		qs[i], byID[string(q.RecipientID)] = q, q
	}
	body := make([]byte, 256)
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := next.Add(1) - 1; n < int64(b.N); n = next.Add(1) - 1 {
				if err := sendRetry(ctx, bob, qs[int(n)%benchQueues].SenderID, body); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	var acks sync.WaitGroup
	for range b.N {
		m := nextMsg(b, alice)
		acks.Add(1)
		go func() {
			defer acks.Done()
			if err := alice.Ack(ctx, byID[string(m.RecipientID)], m.MsgID); err != nil {
				b.Error(err)
			}
		}()
	}
	wg.Wait()
	acks.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
}

// sendRetry sends, waiting while the queue is full: QUOTA is backpressure
// here, not a failure.
func sendRetry(ctx context.Context, c *relayclient.Client, sid, body []byte) error {
	for {
		err := c.Send(ctx, sid, nil, body)
		var e *relayclient.Error
		if !errors.As(err, &e) || e.Code != "QUOTA" {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func nextMsg(b *testing.B, c *relayclient.Client) relayclient.Message {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		ev, err := c.Events().Pop(ctx)
		if err != nil {
			b.Fatal("no message")
		}
		if m, ok := ev.(relayclient.Message); ok {
			return m
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
