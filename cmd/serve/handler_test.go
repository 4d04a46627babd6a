package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/relay"
)

func testWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":               "<!doctype html><title>app</title>",
		"sw.js":                    "// sw",
		"web/app.wasm":             "\x00asm\x01\x00\x00\x00",
		"web/simplex.js":           "export {}",
		"web/manifest.webmanifest": "{}",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestServesTheAppWithTheRightHeaders checks what a browser needs: wasm as
// application/wasm (streaming compile), JS modules as JavaScript, the service
// worker allowed at the root and never cached by HTTP, and the relay mounted.
func TestServesTheAppWithTheRightHeaders(t *testing.T) {
	teapot := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	gone := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	srv := httptest.NewServer(newHandler(testWeb(t), teapot, gone))
	defer srv.Close()
	cases := []struct {
		path, ctype string
		status      int
		header      map[string]string
	}{
		{"/", "text/html", 200, map[string]string{"Content-Security-Policy": "wasm-unsafe-eval"}},
		{"/web/app.wasm", "application/wasm", 200, map[string]string{"Cache-Control": "no-cache"}},
		{"/web/simplex.js", "text/javascript", 200, map[string]string{"Access-Control-Allow-Origin": "*"}},
		{"/web/manifest.webmanifest", "application/manifest+json", 200, nil},
		{"/sw.js", "text/javascript", 200, map[string]string{"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"}},
		{"/relay", "", http.StatusTeapot, nil},
		{"/files/new", "", http.StatusGone, nil},
		{"/missing.js", "", 404, nil},
	}
	for _, c := range cases {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.path, resp.StatusCode, c.status)
		}
		if got := resp.Header.Get("Content-Type"); c.ctype != "" && !strings.HasPrefix(got, c.ctype) {
			t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		for k, v := range c.header {
			if got := resp.Header.Get(k); !strings.Contains(got, v) {
				t.Errorf("%s: %s = %q, want it to contain %q", c.path, k, got, v)
			}
		}
	}
}

func TestRunRefusesAnEmptyWebDir(t *testing.T) {
	if err := run("127.0.0.1:0", t.TempDir(), t.TempDir(), relay.Limits{}, fileOpts{}); err == nil || !strings.Contains(err.Error(), "build.sh wasm") {
		t.Fatalf("run with no index.html: %v, want an error naming ./build.sh wasm", err)
	}
}
