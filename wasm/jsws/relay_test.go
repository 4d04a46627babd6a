//go:build js && wasm

package jsws

import (
	"bytes"
	"context"
	"testing"

	"github.com/sxweb/sxweb/core/relayclient"
)

// dialer is Dial as a relayclient.Dialer (the wiring the agent gets).
func dialer(ctx context.Context, url string) (relayclient.Conn, error) { return Dial(ctx, url) }

// TestRelayClientOverBrowserWebSocket runs the relay protocol client on the
// browser transport against a real relay: create a queue, secure it, send
// to it, receive the message, acknowledge it.
func TestRelayClientOverBrowserWebSocket(t *testing.T) {
	ctx := ctxT(t)
	url := server(t) + "/relay"
	rc := relayclient.New(url, dialer, relayclient.Options{})
	defer rc.Close()
	q, err := rc.CreateQueue(ctx)
	if err != nil {
		t.Fatalf("CreateQueue over jsws: %v", err)
	}
	sender := relayclient.New(url, dialer, relayclient.Options{})
	defer sender.Close()
	key := relayclient.NewSenderKey()
	if err := sender.Secure(ctx, q.SenderID, key); err != nil {
		t.Fatalf("Secure: %v", err)
	}
	body := bytes.Repeat([]byte("browser "), 100)
	if err := sender.Send(ctx, q.SenderID, key, body); err != nil {
		t.Fatalf("Send: %v", err)
	}
	for {
		ev, err := rc.Events().Pop(ctx)
		if err != nil {
			t.Fatal("no message from the relay")
		}
		m, ok := ev.(relayclient.Message)
		if !ok {
			continue // Up and the like
		}
		if !bytes.Equal(m.RecipientID, q.RecipientID) || !bytes.Equal(m.Body, body) {
			t.Fatalf("got message for %x with %d bytes", m.RecipientID, len(m.Body))
		}
		if err := rc.Ack(ctx, q, m.MsgID); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		return
	}
}
