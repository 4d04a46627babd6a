// Package wsdial is the native relayclient.Dialer: a WebSocket client on
// github.com/coder/websocket. The browser build never imports it (it uses
// the browser's WebSocket through wasm/).
//
// Layer: core transport adapter; imports core/relayclient and relay/wire.
// Concurrency: a Conn allows one concurrent Read and one concurrent Write,
// which is how relayclient uses it.
package wsdial

import (
	"context"
	"errors"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/wire"
)

// ErrTextMessage is returned by Read when the relay sends a text message.
var ErrTextMessage = errors.New("wsdial: text message on a binary protocol")

// Dial opens a WebSocket to url (ws:// or wss://); it is a relayclient.Dialer.
func Dial(ctx context.Context, url string) (relayclient.Conn, error) {
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(wire.MaxFrame)
	return &conn{c: c}, nil
}

var _ relayclient.Dialer = Dial

type conn struct{ c *websocket.Conn }

func (c *conn) Read(ctx context.Context) ([]byte, error) {
	typ, b, err := c.c.Read(ctx)
	if err != nil {
		return nil, err
	}
	if typ != websocket.MessageBinary {
		return nil, ErrTextMessage
	}
	return b, nil
}

func (c *conn) Write(ctx context.Context, frame []byte) error {
	return c.c.Write(ctx, websocket.MessageBinary, frame)
}

func (c *conn) Close() error { return c.c.CloseNow() }
