// Package nethttp is core/files' HTTP transport over net/http, for native
// clients (tools, tests, the benchmark swarm). The browser build uses
// fetch instead and never imports this package.
//
// Concurrency: safe for concurrent use.
package nethttp

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// maxAnswer bounds an answer's body (the largest chunk, and some).
const maxAnswer = 5 << 20

// Client is files.HTTP over an *http.Client (http.DefaultClient if nil).
type Client struct{ C *http.Client }

// Do sends one request and reads its whole answer.
func (c Client) Do(ctx context.Context, method, url string, header map[string]string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := c.C
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	return resp.StatusCode, b, err
}
