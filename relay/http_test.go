package relay_test

import (
	"bytes"
	"net/http"
	"testing"

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
