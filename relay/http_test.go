package relay_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/wire"
)

// A POST body over one frame (65,536 bytes) is refused before it is read
// whole. (The Worker allows a little more: the limit is native.)
func TestHTTPPostTooLarge(t *testing.T) {
	r := relaytest.Start(t, relay.Config{})
	resp, err := http.Post(r.HTTPURL, "application/octet-stream", bytes.NewReader(make([]byte, wire.MaxFrame+1)))
	protosuite.Must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// A POST whose body trickles in is cut at RequestTimeout: its connection
// does not stay open for as long as the client keeps sending a byte now
// and then.
func TestSlowPostBodyCut(t *testing.T) {
	lim := relay.Unlimited()
	lim.RequestTimeout = 500 * time.Millisecond
	r := relaytest.Start(t, relay.Config{Limits: lim})
	c, err := net.Dial("tcp", r.Addr)
	protosuite.Must(t, err)
	defer c.Close()
	fmt.Fprintf(c, "POST /relay HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	closed := make(chan struct{})
	go func() { // the server's answer, or its close
		io.Copy(io.Discard, c)
		close(closed)
	}()
	start := time.Now()
	for {
		select {
		case <-closed:
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("cut after %v", d)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := c.Write([]byte{1}); err != nil {
			return // closed by the server
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("a trickling body kept its connection for 10 s")
		}
	}
}
