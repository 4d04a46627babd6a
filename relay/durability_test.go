package relay_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/crypto/nacl/secretbox"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// Every SEND the relay acknowledged survives kill -9 of the relay process.
func TestKill9KeepsAcknowledgedSends(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/relay")
	}
	p := relaytest.StartProcess(t)
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, p.URL), protosuite.NewClient(t, p.URL)
	const queues, perQueue = 20, 25
	qs := make([]relayclient.RecipientQueue, queues)
	for i := range qs {
		q, err := alice.CreateQueue(ctx)
		protosuite.Must(t, err)
		qs[i] = q
	}
	var mu sync.Mutex
	acked := map[string]bool{}
	third := make(chan struct{})
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		go func(i int, q relayclient.RecipientQueue) {
			defer wg.Done()
			for j := 0; j < perQueue; j++ {
				body := fmt.Sprintf("q%d-m%d", i, j)
				if err := bob.Send(ctx, q.SenderID, nil, []byte(body)); err != nil {
					return // the relay died under us: only acknowledged sends count
				}
				mu.Lock()
				acked[body] = true
				if len(acked) == queues*perQueue/3 {
					close(third)
				}
				mu.Unlock()
			}
		}(i, q)
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-third:
	case <-allDone: // every sender stopped early: the relay died on its own
		t.Fatalf("senders stopped before a third was acknowledged; relay stderr:\n%s", p.Stderr())
	}
	p.Kill() // kill -9 while sends are in flight
	wg.Wait()
	p.Kill()
	mu.Lock()
	want := len(acked)
	mu.Unlock()
	if want == 0 {
		t.Fatal("nothing was acknowledged before the kill")
	}
	alice.Close() // so that its reconnect does not take the queues over from reader
	p.Restart()
	reader := protosuite.NewClient(t, p.URL) // a fresh connection subscribes everything
	for _, err := range reader.Subscribe(ctx, qs) {
		protosuite.Must(t, err)
	}
	got := map[string]bool{}
	missing := func() int {
		n := 0
		for body := range acked {
			if !got[body] {
				n++
			}
		}
		return n
	}
	for missing() > 0 {
		m := protosuite.Next[relayclient.Message](t, reader)
		if got[string(m.Body)] {
			continue // re-delivered (a queue was subscribed twice while connecting): receivers de-duplicate
		}
		got[string(m.Body)] = true
		protosuite.Must(t, reader.Ack(ctx, qs[queueIndex(qs, m.RecipientID)], m.MsgID))
	}
	for body := range acked {
		if !got[body] {
			t.Errorf("acknowledged %q lost", body)
		}
	}
	t.Logf("%d sends acknowledged before kill -9; all delivered after restart", want)
}

func queueIndex(qs []relayclient.RecipientQueue, rid []byte) int {
	for i, q := range qs {
		if bytes.Equal(q.RecipientID, rid) {
			return i
		}
	}
	panic("unknown queue")
}

// The relay's store file holds no plaintext, none of the recipient's private
// keys and not the bytes it delivers (it re-encrypts on delivery).
func TestStoreHoldsNoPlaintext(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	secret := []byte("PLAINTEXT-MARKER: meet at noon")
	var e2eKey [32]byte // stands in for the agent's end-to-end encryption
	e2eKey[0] = 42
	var nonce [24]byte
	sealed := secretbox.Seal(nonce[:], secret, &nonce, &e2eKey)
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, sealed))
	m := protosuite.Next[relayclient.Message](t, alice)
	if !bytes.Equal(m.Body, sealed) {
		t.Fatal("body changed in transit")
	}
	r.Stop() // flush and close the file
	db, err := os.ReadFile(filepath.Join(r.Dir, "relay.db"))
	protosuite.Must(t, err)
	for name, b := range map[string][]byte{"plaintext": secret, "recipient auth key": q.AuthKey, "recipient DH key": q.DHKey} {
		if bytes.Contains(db, b) {
			t.Errorf("store file contains the %s", name)
		}
	}
	if !bytes.Contains(db, sealed[24:]) {
		t.Error("store file does not hold the sender's ciphertext (test is not looking at the right file)")
	}
}

// Clients reconnect after a relay restart, re-subscribe, and get what was
// sent while they were away.
func TestReconnectResubscribes(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, r.URL), protosuite.NewClient(t, r.URL)
	var qs []relayclient.RecipientQueue
	for i := 0; i < 5; i++ {
		q, err := alice.CreateQueue(ctx)
		protosuite.Must(t, err)
		qs = append(qs, q)
	}
	_ = protosuite.Next[relayclient.Up](t, alice)
	r.Restart()
	_ = protosuite.Next[relayclient.Down](t, alice)
	up := protosuite.Next[relayclient.Up](t, alice)
	if up.Resubscribed != 5 || up.Failed != 0 {
		t.Fatalf("up: %+v", up)
	}
	for i, q := range qs {
		for {
			err := bob.Send(ctx, q.SenderID, nil, []byte{byte(i)})
			if err == nil {
				break
			}
			if err != relayclient.ErrNotConnected {
				t.Fatal(err)
			}
			_ = protosuite.Next[relayclient.Up](t, bob)
		}
	}
	seen := map[byte]bool{}
	for len(seen) < 5 {
		m := protosuite.Next[relayclient.Message](t, alice)
		seen[m.Body[0]] = true
		protosuite.Must(t, alice.Ack(ctx, qs[m.Body[0]], m.MsgID))
	}
}

// cmd/relay's limit flags take effect.
func TestProcessFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/relay")
	}
	p := relaytest.StartProcess(t, "-quota", "2", "-max-msg-size", "100")
	ctx := protosuite.Ctx(t)
	alice, bob := protosuite.NewClient(t, p.URL), protosuite.NewClient(t, p.URL)
	q, err := alice.CreateQueue(ctx)
	protosuite.Must(t, err)
	protosuite.WantCode(t, "body over -max-msg-size", bob.Send(ctx, q.SenderID, nil, make([]byte, 101)), "LARGE_MSG")
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, make([]byte, 100)))
	protosuite.Must(t, bob.Send(ctx, q.SenderID, nil, []byte("2")))
	protosuite.WantCode(t, "third message with -quota 2", bob.Send(ctx, q.SenderID, nil, []byte("3")), "QUOTA")
}
