package attack

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/coder/websocket"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/relay/wire"
)

// From returns the i-th attacker address, 127.0.0.(2+i).
func From(i int) netip.Addr { return netip.AddrFrom4([4]byte{127, 0, 0, byte(2 + i)}) }

// dialer dials TCP from the local address from.
func dialer(from netip.Addr) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: from.AsSlice()}, Timeout: 10 * time.Second}
}

// DialWS opens a WebSocket to url from the local address from.
func DialWS(ctx context.Context, url string, from netip.Addr) (*websocket.Conn, error) {
	tr := &http.Transport{DialContext: dialer(from).DialContext, DisableKeepAlives: true}
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(4 * wire.MaxFrame) // a relay's batch may be long; this is not the relay under test
	return c, nil
}

// Dialer is a relayclient.Dialer from the local address from.
func Dialer(from netip.Addr) relayclient.Dialer {
	return func(ctx context.Context, url string) (relayclient.Conn, error) {
		c, err := DialWS(ctx, url, from)
		if err != nil {
			return nil, err
		}
		return wsConn{c}, nil
	}
}

type wsConn struct{ c *websocket.Conn }

func (w wsConn) Read(ctx context.Context) ([]byte, error) {
	_, b, err := w.c.Read(ctx)
	return b, err
}

func (w wsConn) Write(ctx context.Context, f []byte) error {
	return w.c.Write(ctx, websocket.MessageBinary, f)
}

func (w wsConn) Close() error { return w.c.CloseNow() }
