package relay_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// syncBuf is a log destination safe for the relay's goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Above MaxStore, SEND and NEW get QUOTA and the log says why; what was
// accepted is all delivered; once the recipient drained it (freeing the
// store's pages), the relay accepts again.
func TestStoreWatermark(t *testing.T) {
	logs := &syncBuf{}
	lim := relay.Unlimited()
	lim.MaxStore = 4 << 20
	r := relaytest.Start(t, relay.Config{Limits: lim, Quota: 10_000,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	body := bytes.Repeat([]byte{7}, relayclient.MaxBody)
	sent := 0
	for ; sent < 1000; sent++ {
		if err = bob.Send(ctx, q.SenderID, nil, body); err != nil {
			break
		}
	}
	if !errors.Is(err, relayclient.ErrQuota) {
		t.Fatalf("after %d sends: %v, want QUOTA", sent, err)
	}
	t.Logf("refused after %d messages (%d KiB)", sent, sent*len(body)>>10)
	if stored := sent * len(body); stored > 5<<20 || stored < 2<<20 {
		t.Fatalf("refused after %d KiB of messages, want about the 4 MiB limit", stored>>10)
	}
	if _, err := bob.CreateQueue(ctx); !errors.Is(err, relayclient.ErrQuota) {
		t.Fatalf("NEW above the watermark: %v", err)
	}
	if !strings.Contains(logs.String(), "store above -max-store") {
		t.Fatalf("log does not say why:\n%s", logs.String())
	}
	for range sent { // everything accepted is delivered
		m := protosuite.Next[relayclient.Message](t, alice)
		protosuite.Must(t, alice.Ack(ctx, q, m.MsgID))
	}
	deadline := time.Now().Add(10 * time.Second)
	for bob.Send(ctx, q.SenderID, nil, body) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("still refusing after the queue was drained:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "accepting NEW and SEND again") {
		t.Fatalf("log does not say it resumed:\n%s", logs.String())
	}
}
