package relay_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/wire"
)

// A session that subscribes many queues holding large messages and reads
// slowly gets every one: deliveries beyond the session's push limit wait
// for its output to drain; they are not lost and the session is not dropped.
func TestManyLargePendingMessages(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := protosuite.Ctx(t)
	maker, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	const n = 400 // 400 × 16 KB: more than socket buffers and the 1 MiB push limit
	var qs []relayclient.RecipientQueue
	for i := 0; i < n; i++ {
		q, err := maker.CreateQueue(ctx)
		protosuite.Must(t, err)
		qs = append(qs, q)
		protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, bytes.Repeat([]byte{byte(i)}, relayclient.MaxBody)))
	}
	maker.Close()
	slow := protosuite.DialRaw(t, r.URL)
	f := wire.AppendBatchHeader(nil)
	for _, q := range qs {
		mac, err := wire.MACKey(q.AuthKey, slow.Hello.AuthKey[:])
		protosuite.Must(t, err)
		f = wire.AppendTransmission(f, &wire.Transmission{EntityID: q.RecipientID, Code: wire.SUB}, wire.SignerFor(mac, slow.Hello.SessionID[:]))
	}
	slow.Send(f)
	time.Sleep(300 * time.Millisecond) // not reading: the relay's output backs up
	msgs := map[string]bool{}
	for len(msgs) < n {
		for _, tr := range slow.Recv() {
			if tr.Code == wire.MSG {
				msgs[string(tr.EntityID)] = true
			}
		}
	}
}
