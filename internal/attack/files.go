package attack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/files/nethttp"
	"github.com/sxweb/sxweb/relay/filewire"
)

// The attacks of issue 11 on the file relay: a client filling its disk,
// uploads trickling in, chunk creations as fast as the relay answers.

// FileClient is a file relay client (core/files over net/http) whose
// connections come from the local address from.
func FileClient(from netip.Addr) *files.Client {
	tr := &http.Transport{DialContext: dialer(from).DialContext, MaxIdleConnsPerHost: 16}
	return &files.Client{HTTP: nethttp.Client{C: &http.Client{Transport: tr}}}
}

// FileCanary is an ordinary file relay client (from 127.0.0.1): Round
// sends a chunk and receives it.
type FileCanary struct {
	url string
	c   *files.Client
}

// NewFileCanary returns a canary of the file relay at url (…/files).
func NewFileCanary(url string) *FileCanary {
	return &FileCanary{url: url, c: &files.Client{HTTP: nethttp.Client{}}}
}

// Up creates and uploads a 64 KiB chunk for one recipient, returning it
// to Down later.
func (k *FileCanary) Up(ctx context.Context) (files.Recipient, []byte, error) {
	data := make([]byte, 64<<10)
	copy(data, fmt.Sprintf("canary %d", time.Now().UnixNano()))
	sid, key, rs, _, err := k.c.NewChunk(ctx, k.url, len(data), 1)
	if err != nil {
		return files.Recipient{}, nil, fmt.Errorf("file canary: new: %w", err)
	}
	if err := k.c.Upload(ctx, k.url, sid, key, data); err != nil {
		return files.Recipient{}, nil, fmt.Errorf("file canary: upload: %w", err)
	}
	return rs[0], data, nil
}

// Down downloads a chunk Up made, checks it and acknowledges it.
func (k *FileCanary) Down(ctx context.Context, r files.Recipient, data []byte) error {
	got, err := k.c.Download(ctx, k.url, r)
	if err != nil {
		return fmt.Errorf("file canary: download: %w", err)
	}
	if !bytes.Equal(got, data) {
		return errors.New("file canary: other bytes")
	}
	return k.c.Ack(ctx, k.url, r)
}

// Round is Up then Down.
func (k *FileCanary) Round(ctx context.Context) error {
	r, data, err := k.Up(ctx)
	if err != nil {
		return err
	}
	return k.Down(ctx, r, data)
}

// FileResult is what an attack on the file relay achieved.
type FileResult struct {
	Tried, Done int            // requests, and those that succeeded
	Bytes       int64          // chunk bytes accepted
	Codes       map[string]int // refusals by code
	Elapsed     time.Duration
}

func (r *FileResult) refused(err error) error {
	var re *files.RelayError
	if !errors.As(err, &re) {
		return err
	}
	if r.Codes == nil {
		r.Codes = map[string]int{}
	}
	r.Codes[re.Code]++
	return nil
}

// FillFiles uploads size-byte chunks from each of the addresses, as fast
// as the relay takes them (the addresses at once), until each is refused
// max times in a row or dur has passed.
func FillFiles(ctx context.Context, url string, froms []netip.Addr, size int, dur time.Duration) (FileResult, error) {
	start := time.Now()
	var mu sync.Mutex
	var total FileResult
	var wg sync.WaitGroup
	errc := make(chan error, len(froms))
	for _, from := range froms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := fillFrom(ctx, url, FileClient(from), size, start.Add(dur))
			mu.Lock()
			defer mu.Unlock()
			total.Tried, total.Done, total.Bytes = total.Tried+r.Tried, total.Done+r.Done, total.Bytes+r.Bytes
			for k, v := range r.Codes {
				if total.Codes == nil {
					total.Codes = map[string]int{}
				}
				total.Codes[k] += v
			}
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	total.Elapsed = time.Since(start)
	for err := range errc {
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func fillFrom(ctx context.Context, url string, c *files.Client, size int, until time.Time) (FileResult, error) {
	var r FileResult
	data := make([]byte, size)
	for misses := 0; misses < 5 && time.Now().Before(until); {
		r.Tried++
		sid, key, _, _, err := c.NewChunk(ctx, url, size, 1)
		if err == nil {
			err = c.Upload(ctx, url, sid, key, data)
		}
		if err != nil {
			if err := r.refused(err); err != nil {
				return r, err
			}
			misses++
			continue
		}
		misses = 0
		r.Done++
		r.Bytes += int64(size)
	}
	return r, nil
}

// CreateChunks creates n chunks (one recipient each) from the address
// from, 16 requests at a time, as fast as the relay answers.
func CreateChunks(ctx context.Context, url string, from netip.Addr, n int) (FileResult, error) {
	start := time.Now()
	c := FileClient(from)
	var done, tried atomic.Int64
	var mu sync.Mutex
	var r FileResult
	var firstErr error
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tried.Add(1) <= int64(n) {
				_, _, _, _, err := c.NewChunk(ctx, url, 64<<10, 1)
				if err == nil {
					done.Add(1)
					continue
				}
				mu.Lock()
				if err := r.refused(err); err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.Tried, r.Done, r.Elapsed = n, int(done.Load()), time.Since(start)
	return r, firstErr
}

// SlowUploads holds n uploads from the address from whose bodies trickle
// in a byte every every: it creates n 4 MiB chunks, then sends each
// PUT's signed headers and one byte at a time, for as long as the relay
// keeps the connection.
type SlowUploads struct{ trickler }

// StartSlowUploads starts the attack.
func StartSlowUploads(ctx context.Context, baseURL string, from netip.Addr, n int, every time.Duration) (*SlowUploads, error) {
	s := &SlowUploads{trickler{stop: make(chan struct{})}}
	c := FileClient(from)
	const size = 4 << 20
	type chunk struct {
		sid []byte
		key ed25519.PrivateKey
	}
	var cs []chunk
	for range n {
		sid, key, _, _, err := c.NewChunk(ctx, baseURL, size, 1)
		if err != nil {
			return nil, fmt.Errorf("slow uploads: new: %w", err)
		}
		cs = append(cs, chunk{sid, key})
	}
	d := dialer(from)
	for _, ch := range cs {
		u, err := url.Parse(baseURL + "/chunk/" + filewire.B64(ch.sid).String())
		if err != nil {
			return nil, err
		}
		conn, err := d.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			continue // refused at the backlog or the connection cap
		}
		date, auth := filewire.Sign(ch.key, "PUT", u.EscapedPath(), time.Now(), make([]byte, size))
		_, err = fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s: %s\r\n%s: %s\r\n\r\n",
			u.EscapedPath(), u.Host, size, filewire.HeaderDate, date, filewire.HeaderAuth, auth)
		if err != nil {
			conn.Close()
			continue
		}
		s.hold(conn, every)
	}
	return s, nil
}
