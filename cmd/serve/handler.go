package main

import (
	"mime"
	"net/http"
	"path"
	"strings"
)

func init() {
	// Go's table has .wasm; these are set here so that the served types do not
	// depend on the machine's /etc/mime.types.
	for ext, typ := range map[string]string{
		".wasm":        "application/wasm",
		".js":          "text/javascript; charset=utf-8",
		".mjs":         "text/javascript; charset=utf-8",
		".webmanifest": "application/manifest+json",
		".css":         "text/css; charset=utf-8",
		".png":         "image/png",
		".html":        "text/html; charset=utf-8",
	} {
		_ = mime.AddExtensionType(ext, typ)
	}
}

// csp lets the page run only its own scripts and the wasm, and talk only to its
// own origin and WebSocket relays.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

// newHandler serves the web directory and mounts relay at /relay and the
// file relay at /files (the browser app's default: its origin + "/files";
// the file relay sets its own CORS headers and deadlines).
//
// Embedding: everything but HTML carries Access-Control-Allow-Origin: *, so a
// page of another origin can import web/simplex.js and load the wasm.
//
// Caching: every static response says "no-cache" (revalidate with
// Last-Modified), so a deployment is picked up at once; the service worker
// keeps its own versioned cache for offline use, which these headers do not
// fight. The service worker script is served from the root with
// Service-Worker-Allowed: / so its scope can cover the whole app.
func newHandler(webDir string, relay, fileRelay http.Handler) http.Handler {
	mux := http.NewServeMux()
	if relay != nil {
		mux.Handle("/relay", relay)
		mux.Handle("/relay/", relay)
	}
	if fileRelay != nil {
		mux.Handle("/files/", fileRelay)
	}
	files := http.FileServer(http.Dir(webDir))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		p := path.Clean(r.URL.Path)
		if p == "/sw.js" {
			h.Set("Service-Worker-Allowed", "/")
		}
		if p == "/" || strings.HasSuffix(p, ".html") {
			h.Set("Content-Security-Policy", csp)
		} else {
			// simplex.js, wasm_exec.js and the wasm may be imported by pages of
			// other origins (embedding): they are public, static files.
			h.Set("Access-Control-Allow-Origin", "*")
		}
		files.ServeHTTP(w, r)
	}))
	return mux
}
