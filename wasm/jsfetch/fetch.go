//go:build js && wasm

// Package jsfetch is core/files' HTTP transport on the browser's fetch
// (reached through github.com/hack-pad/safejs): one request, its whole
// answer. It never imports net/http (megabytes in the browser build).
//
// Layer: wasm/ only (GOOS=js); it implements core/files.HTTP.
//
// Concurrency: safe for concurrent use. A cancelled context aborts the
// request (AbortController). Never call Do from inside a js.FuncOf
// callback: it waits for JS Promises.
package jsfetch

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// MaxAnswer bounds an answer's body (the largest chunk, and some).
const MaxAnswer = 5 << 20

// blobBody: a body larger than this goes as a Blob. Chromium sends an
// ArrayBuffer body through the renderer in small pieces (an upload of a
// 4 MiB chunk took seconds on a busy machine), a Blob from the browser's
// blob store.
const blobBody = 64 << 10

// Client is core/files.HTTP over fetch.
type Client struct{}

// Do sends one request and reads its whole answer.
func (Client) Do(ctx context.Context, method, url string, header map[string]string, body []byte) (int, []byte, error) {
	fetch, err := safejs.Global().Get("fetch")
	if err != nil || fetch.Type() != safejs.TypeFunction {
		return 0, nil, fmt.Errorf("jsfetch: no fetch here")
	}
	ac, err := safejs.MustGetGlobal("AbortController").New()
	if err != nil {
		return 0, nil, err
	}
	signal, _ := ac.Get("signal")
	hdr := map[string]any{}
	for k, v := range header {
		hdr[k] = v
	}
	init := map[string]any{"method": method, "headers": hdr, "signal": signal, "cache": "no-store"}
	if body != nil {
		arr, err := safejs.MustGetGlobal("Uint8Array").New(len(body))
		if err != nil {
			return 0, nil, err
		}
		if _, err := safejs.CopyBytesToJS(arr, body); err != nil {
			return 0, nil, err
		}
		init["body"] = arr
		if len(body) > blobBody {
			if init["body"], err = safejs.MustGetGlobal("Blob").New([]any{arr}); err != nil {
				return 0, nil, err
			}
		}
	}
	stop := context.AfterFunc(ctx, func() { _, _ = ac.Call("abort") })
	defer stop()
	p, err := fetch.Invoke(url, init)
	if err != nil {
		return 0, nil, fmt.Errorf("jsfetch: %w", err)
	}
	resp, err := bridge.Await(ctx, p)
	if err != nil {
		return 0, nil, fmt.Errorf("jsfetch: %s %s: %w", method, url, err)
	}
	sv, _ := resp.Get("status")
	status, _ := sv.Int()
	if cl := contentLength(resp); cl > MaxAnswer {
		return status, nil, fmt.Errorf("jsfetch: an answer of %d bytes", cl)
	}
	ab, err := resp.Call("arrayBuffer")
	if err != nil {
		return status, nil, err
	}
	buf, err := bridge.Await(ctx, ab)
	if err != nil {
		return status, nil, fmt.Errorf("jsfetch: reading the answer: %w", err)
	}
	arr, err := safejs.MustGetGlobal("Uint8Array").New(buf)
	if err != nil {
		return status, nil, err
	}
	n, _ := arr.Length()
	if n > MaxAnswer {
		return status, nil, fmt.Errorf("jsfetch: an answer of %d bytes", n)
	}
	out := make([]byte, n)
	_, err = safejs.CopyBytesToGo(out, arr)
	return status, out, err
}

// contentLength is the answer's Content-Length (0 when absent or unreadable).
func contentLength(resp safejs.Value) int {
	h, err := resp.Get("headers")
	if err != nil {
		return 0
	}
	v, err := h.Call("get", "content-length")
	if err != nil || v.Type() != safejs.TypeString {
		return 0
	}
	s, _ := v.String()
	n, _ := strconv.Atoi(s)
	return n
}
