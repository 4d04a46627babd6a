package files_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	cfiles "github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/internal/filesuite"
	"github.com/sxweb/sxweb/relay/files"
	"github.com/sxweb/sxweb/relay/filewire"
)

// Deadlines: a request carrying a chunk may take -request-timeout plus
// its size at -files-min-rate, in both directions.

// The deadline of an upload grows with the chunk at -files-min-rate: a
// body trickling slower is cut (nothing kept), one at twice the rate
// passes although it takes longer than -request-timeout.
func TestUploadDeadline(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.RequestTimeout, l.MinRate = 500*time.Millisecond, 512<<10 })
	c := clientFrom("192.0.2.1")
	sid, key, rs, _, err := c.NewChunk(ctx, f.URL, 1<<20, 1)
	must(t, err)
	// deadline 0.5 s + 1 MiB at 512 KiB/s = 2.5 s; a byte a second is cut
	conn := slowPut(t, f.URL, sid, key, 1<<20, nil)
	defer conn.Close()
	start := time.Now()
	go func() {
		for range 10 {
			time.Sleep(time.Second)
			if _, err := conn.Write([]byte{0}); err != nil {
				return
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	io.Copy(io.Discard, conn) // the relay answers or closes
	if held := time.Since(start); held > 8*time.Second {
		t.Fatalf("a trickling upload held its connection %v (deadline 2.5 s)", held)
	}
	_, err = c.Download(ctx, f.URL, rs[0])
	wantCode(t, "GET after a cut upload", err, filewire.ErrNotFound)
	if n := len(f.TmpFiles()); n != 0 {
		t.Fatalf("%d uploads in progress left on disk", n)
	}
	// 1 MiB at ~1 MiB/s (1 s, twice -request-timeout) passes
	data := filesuite.Random(1 << 20)
	hc := &rateHTTP{rate: 1 << 20}
	slow := &cfiles.Client{HTTP: hc}
	must(t, slow.Upload(ctx, f.URL, sid, key, data))
	got, err := c.Download(ctx, f.URL, rs[0])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("the slow upload's bytes")
	}
}

// A client that does not read its download is cut at the same deadline:
// its request's place (-max-conns-per-ip, here 1) is given back then.
func TestDownloadDeadline(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) {
		l.RequestTimeout, l.MinRate, l.MaxConnsPerAddr = 500*time.Millisecond, 4<<20, 1
	})
	c := clientFrom("192.0.2.1")
	sid, key, rs, _, err := c.NewChunk(ctx, f.URL, 4<<20, 1)
	must(t, err)
	must(t, c.Upload(ctx, f.URL, sid, key, make([]byte, 4<<20)))
	u, _ := url.Parse(f.URL + "/chunk/" + filewire.B64(rs[0].ID).String())
	conn, err := net.Dial("tcp", u.Host)
	must(t, err)
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4096)
	date, auth := filewire.Sign(ed25519.NewKeyFromSeed(rs[0].Seed), "GET", u.EscapedPath(), time.Now(), nil)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n%s: %s\r\n%s: %s\r\n%s: 192.0.2.1\r\n\r\n", u.EscapedPath(), u.Host,
		filewire.HeaderDate, date, filewire.HeaderAuth, auth, clientHeader)
	time.Sleep(200 * time.Millisecond) // deadline: 0.5 s + 4 MiB at 4 MiB/s = 1.5 s
	start := time.Now()
	_, _, _, _, err = c.NewChunk(ctx, f.URL, 65536, 1)
	if err == nil {
		t.Skip("the kernel's socket buffers took the whole chunk: the download never blocked")
	}
	wantCode(t, "a request while the download holds the address's place", err, filewire.ErrLimit)
	for {
		_, _, _, _, err = c.NewChunk(ctx, f.URL, 65536, 1)
		if err == nil {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("a download nobody reads still holds its place after 10 s (deadline 1.5 s): %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the download was cut %v after it started", (time.Since(start) + 200*time.Millisecond).Round(100*time.Millisecond))
}

// rateHTTP sends request bodies at about rate bytes per second.
type rateHTTP struct{ rate int }

func (h *rateHTTP) Do(ctx context.Context, method, u string, hdr map[string]string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, &slowReader{b: body, rate: h.rate})
	if err != nil {
		return 0, nil, err
	}
	req.ContentLength = int64(len(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

type slowReader struct {
	b    []byte
	rate int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.b), r.rate/10)
	time.Sleep(time.Duration(n) * time.Second / time.Duration(r.rate))
	copy(p, r.b[:n])
	r.b = r.b[n:]
	return n, nil
}
