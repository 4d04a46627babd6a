//go:build js && wasm

package jsfetch

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// base is the test server's HTTP URL (withservers.sh sets SXWEB_TEST_WS).
func base(t *testing.T) string {
	t.Helper()
	u := os.Getenv("SXWEB_TEST_WS")
	if u == "" {
		t.Skip("SXWEB_TEST_WS not set: run under wasm/testrunner/withservers.sh with the Chromium runner")
	}
	return "http://" + strings.TrimPrefix(u, "ws://") + "/http/"
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// A request's method, header and body arrive; the status and the whole
// answer come back (a 4 MiB body, as a chunk upload sends).
func TestRoundTrip(t *testing.T) {
	body := make([]byte, 4<<20)
	rand.Read(body)
	for _, c := range []struct {
		method string
		status int
		body   []byte
	}{{"PUT", 204, nil}, {"PUT", 201, body}, {"GET", 404, nil}, {"DELETE", 403, nil}, {"POST", 200, []byte(`{"a":1}`)}} {
		status, got, err := Client{}.Do(ctxT(t, 20*time.Second), c.method, base(t)+strconv.Itoa(c.status), map[string]string{"X-Test": "yes"}, c.body)
		if err != nil {
			t.Fatalf("%s: %v", c.method, err)
		}
		if status != c.status {
			t.Fatalf("%s: status %d, want %d", c.method, status, c.status)
		}
		if c.status == 204 {
			continue // no body allowed
		}
		want := append([]byte(c.method+" yes\n"), c.body...)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: answer of %d bytes, want %d", c.method, len(got), len(want))
		}
	}
}

// An answer larger than any chunk is refused, not read into memory.
func TestLargeAnswerRefused(t *testing.T) {
	if _, _, err := (Client{}).Do(ctxT(t, 20*time.Second), "GET", base(t)+"big", nil, nil); err == nil {
		t.Fatal("a 6 MiB answer was taken")
	}
}

// A cancelled context aborts a request the server holds.
func TestContextAborts(t *testing.T) {
	start := time.Now()
	_, _, err := Client{}.Do(ctxT(t, 300*time.Millisecond), "GET", base(t)+"slow", nil, nil)
	if err == nil {
		t.Fatal("a held request returned no error")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("the request was not aborted (%v)", time.Since(start))
	}
}

// No server there: an error, not a hang.
func TestNetworkError(t *testing.T) {
	if _, _, err := (Client{}).Do(ctxT(t, 20*time.Second), "GET", "http://127.0.0.1:1/x", nil, nil); err == nil {
		t.Fatal("no error from a closed port")
	}
}
