package relay_test

import (
	"sync"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/wire"
)

// A batch of SUBs gets its responses, and the messages they deliver,
// coalesced into a few frames rather than one frame per response; each
// response and each message comes exactly once, the OK of a queue before
// its MSG.
func TestSubBatchResponsesCoalesced(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := protosuite.Ctx(t)
	maker, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	const n, maxFrames = 256, 4
	qs := make([]relayclient.RecipientQueue, n)
	var wg sync.WaitGroup
	for i := range qs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, err := maker.CreateQueue(ctx)
			if err == nil && i%2 == 0 { // half the queues hold a message
				err = bob.Send(ctx, q.SenderID, nil, []byte{byte(i)})
			}
			if err != nil {
				t.Error(err)
			}
			qs[i] = q
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	maker.Close()
	raw := protosuite.DialRaw(t, r.URL)
	f := wire.AppendBatchHeader(nil)
	for _, q := range qs {
		mac, err := wire.MACKey(q.AuthKey, raw.Hello.AuthKey[:])
		protosuite.Must(t, err)
		f = wire.AppendTransmission(f, &wire.Transmission{EntityID: q.RecipientID, Code: wire.SUB}, wire.SignerFor(mac, raw.Hello.SessionID[:]))
	}
	raw.Send(f)
	oks, msgs := map[string]int{}, map[string]int{}
	frames := 0
	for len(oks) < n || len(msgs) < n/2 {
		frames++
		for _, tr := range raw.Recv() {
			id := string(tr.EntityID)
			switch tr.Code {
			case wire.OK:
				oks[id]++
			case wire.MSG:
				if oks[id] == 0 {
					t.Errorf("MSG before the OK of its SUB")
				}
				msgs[id]++
			default:
				t.Fatalf("unexpected %v %v", tr.Code, tr.Err)
			}
		}
	}
	for i, q := range qs {
		id := string(q.RecipientID)
		if oks[id] != 1 {
			t.Errorf("queue %d: %d OKs, want 1", i, oks[id])
		}
		if want := 1 - i%2; msgs[id] != want {
			t.Errorf("queue %d: %d MSGs, want %d", i, msgs[id], want)
		}
	}
	if frames > maxFrames {
		t.Errorf("%d responses and %d messages came in %d frames, want at most %d", n, n/2, frames, maxFrames)
	}
	t.Logf("%d responses and %d messages in %d frames", n, n/2, frames)
	// Nothing more: a PING is answered by a lone PONG (no duplicate arrives first).
	raw.Send(wire.AppendTransmission(wire.AppendBatchHeader(nil), &wire.Transmission{CorrID: []byte{1}, Code: wire.PING}, nil))
	if tr := raw.RecvOne(); tr.Code != wire.PONG {
		t.Fatalf("got %v, want PONG", tr.Code)
	}
}
