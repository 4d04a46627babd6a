package limit

import (
	"io"
	"log"
	"net/http"
	"time"
)

// HTTPServer returns an http.Server for h with the relays' deadlines:
// headers within 10 s and the whole request within requestTimeout, a
// response written within requestTimeout (a client that does not read it
// is dropped), idle keep-alive connections closed after a minute,
// headers of at most 16 KiB. A handler that needs longer for one request
// (a file chunk) extends its deadlines with http.ResponseController.
// requestTimeout <= 0: no deadlines but the idle one.
func HTTPServer(h http.Handler, requestTimeout time.Duration) *http.Server {
	hs := &http.Server{Handler: h, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10,
		ErrorLog: log.New(io.Discard, "", 0)} // per-connection errors are the clients' business
	if t := requestTimeout; t > 0 {
		hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout = min(10*time.Second, t), t, t
	}
	return hs
}
