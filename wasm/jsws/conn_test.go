//go:build js && wasm

package jsws

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// server returns the base URL of wasm/testrunner/testserver, or skips:
// these tests need a browser WebSocket and the native peer, i.e.
// withservers.sh + the Chromium runner.
func server(t *testing.T) string {
	t.Helper()
	u := os.Getenv("SXWEB_TEST_WS")
	if u == "" {
		t.Skip("SXWEB_TEST_WS not set: run under wasm/testrunner/withservers.sh with the Chromium runner")
	}
	return u
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEchoBinaryFramesInOrder(t *testing.T) {
	ctx := ctxT(t)
	c, err := Dial(ctx, server(t)+"/echo")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	frames := [][]byte{{0}, bytes.Repeat([]byte{0xff, 0x00, 0x80}, 6000), {}, []byte("third")}
	for _, f := range frames {
		if err := c.Write(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range frames {
		got, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("Read %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("frame %d: got %d bytes, want %d", i, len(got), len(want))
		}
	}
}

func TestPeerCloseReportsCode(t *testing.T) {
	ctx := ctxT(t)
	c, err := Dial(ctx, server(t)+"/close")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := c.Read(ctx); err != nil || string(b) != "last" {
		t.Fatalf("frame before close: %q, %v", b, err)
	}
	_, err = c.Read(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 4000 || ce.Reason != "bye" || !errors.Is(err, ErrClosed) {
		t.Fatalf("Read after peer close = %v, want CloseError 4000 bye", err)
	}
	if err := c.Write(ctx, []byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after close = %v", err)
	}
}

func TestTextFrameIsProtocolError(t *testing.T) {
	ctx := ctxT(t)
	c, err := Dial(ctx, server(t)+"/text")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Read(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 1003 {
		t.Fatalf("Read of a text frame = %v, want CloseError 1003", err)
	}
}

func TestDialRefused(t *testing.T) {
	ctx := ctxT(t)
	server(t)
	// Port 9 (discard) on loopback: nothing listens there on the test machines.
	if _, err := Dial(ctx, "ws://127.0.0.1:9/none"); !errors.Is(err, ErrDial) {
		t.Fatalf("Dial to a closed port = %v, want ErrDial", err)
	}
}

func TestReadHonoursContext(t *testing.T) {
	c, err := Dial(ctxT(t), server(t)+"/echo")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Read(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read with canceled ctx = %v", err)
	}
}

func TestLocalClose(t *testing.T) {
	ctx := ctxT(t)
	c, err := Dial(ctx, server(t)+"/echo")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := c.Read(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("Read after Close = %v", err)
	}
}
