package files_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cfiles "github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/files/nethttp"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay/files"
	"github.com/sxweb/sxweb/relay/filewire"
)

// Each limit of the file relay, exhausted by a client that tries: what
// it gets, what it gets back when it frees what it holds, and that
// another client is not affected. Clients are told apart by a trusted
// proxy's header (Limits.ClientIPHeader), as behind a reverse proxy.

const clientHeader = "X-Test-Client"

// from is files.HTTP from one client address (the proxy's header).
type from struct{ addr string }

func (f from) Do(ctx context.Context, method, u string, h map[string]string, body []byte) (int, []byte, error) {
	h2 := map[string]string{clientHeader: f.addr}
	for k, v := range h {
		h2[k] = v
	}
	return nethttp.Client{}.Do(ctx, method, u, h2, body)
}

func clientFrom(addr string) *cfiles.Client { return &cfiles.Client{HTTP: from{addr}} }

func limited(t *testing.T, edit func(*files.Limits)) (*relaytest.Files, *syncBuf) {
	lim := files.Unlimited()
	lim.ClientIPHeader = clientHeader
	edit(&lim)
	logs := &syncBuf{}
	return relaytest.StartFiles(t, files.Config{Limits: lim, Logger: slog.New(slog.NewTextHandler(logs, nil))}), logs
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var re *cfiles.RelayError
	if !errors.As(err, &re) || re.Code != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}

var ctx = context.Background()

// Chunk creations per address: the burst, then LIMIT; another address
// is served; recipient additions count too.
func TestLimitChunkCreations(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.NewBurstPerAddr, l.NewRatePerAddr = 20, 0.001 })
	a, b := clientFrom("192.0.2.1"), clientFrom("192.0.2.2")
	var sid []byte
	var key []byte
	created := 0
	for ; created < 100; created++ {
		s, k, _, _, err := a.NewChunk(ctx, f.URL, 65536, 1)
		if err != nil {
			wantCode(t, "past the burst", err, filewire.ErrLimit)
			break
		}
		sid, key = s, k
	}
	if created != 20 {
		t.Fatalf("one address created %d chunks, want the burst of 20", created)
	}
	_, err := a.AddRecipients(ctx, f.URL, sid, key, 1)
	wantCode(t, "an addition past the burst", err, filewire.ErrLimit)
	if _, _, _, _, err := b.NewChunk(ctx, f.URL, 65536, 1); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// Bytes held per address: chunks count their full size from creation
// until they go (sender's delete, last recipient done, expiry).
func TestLimitHeldPerAddress(t *testing.T) {
	clock := &relaytest.Clock{}
	lim := files.Unlimited()
	lim.ClientIPHeader, lim.MaxHeldPerAddr = clientHeader, 1<<20+64<<10
	f := relaytest.StartFiles(t, files.Config{Limits: lim, Now: clock.Now, SweepEvery: -1})
	a := clientFrom("192.0.2.1")
	a.Now = clock.Now
	type chunk struct {
		sid []byte
		key []byte
		rs  []cfiles.Recipient
	}
	var cs []chunk
	for range 4 {
		sid, key, rs, _, err := a.NewChunk(ctx, f.URL, 256<<10, 1)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, chunk{sid, key, rs})
	}
	_, _, _, _, err := a.NewChunk(ctx, f.URL, 256<<10, 1)
	wantCode(t, "a fifth 256 KiB chunk under 1 MiB + 64 KiB", err, filewire.ErrLimit)
	if _, _, _, _, err := clientFrom("192.0.2.2").NewChunk(ctx, f.URL, 256<<10, 1); err != nil {
		t.Fatalf("another address: %v", err)
	}
	// the sender deletes one: room for one
	must(t, a.Delete(ctx, f.URL, cs[0].sid, cs[0].key))
	cs = cs[1:]
	again := func(what string) {
		t.Helper()
		sid, key, rs, _, err := a.NewChunk(ctx, f.URL, 256<<10, 1)
		if err != nil {
			t.Fatalf("after %s: %v", what, err)
		}
		cs = append(cs, chunk{sid, key, rs})
		_, _, _, _, err = a.NewChunk(ctx, f.URL, 256<<10, 1)
		wantCode(t, "full again after "+what, err, filewire.ErrLimit)
	}
	again("a delete")
	// its one recipient is done: room for one
	must(t, a.Upload(ctx, f.URL, cs[0].sid, cs[0].key, make([]byte, 256<<10)))
	must(t, a.Ack(ctx, f.URL, cs[0].rs[0]))
	cs = cs[1:]
	again("the last recipient's ack")
	// expiry gives all back
	clock.Advance(files.DefaultExpiry + time.Minute)
	if _, err := f.Server().Expire(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, _, _, _, err := a.NewChunk(ctx, f.URL, 256<<10, 1); err != nil {
			t.Fatalf("after expiry, chunk %d: %v", i, err)
		}
	}
}

// The store watermark: above -files-max-store, new chunks and uploads
// get QUOTA (the log says why); downloads, acks and deletes go on; once
// space is freed it accepts again.
func TestLimitStoreWatermark(t *testing.T) {
	f, logs := limited(t, func(l *files.Limits) { l.MaxStore = 3 << 20 })
	c := clientFrom("192.0.2.1")
	type up struct {
		sid, key []byte
		rs       []cfiles.Recipient
	}
	var ups []up
	var err error
	for range 10 {
		sid, key, rs, _, e := c.NewChunk(ctx, f.URL, 1<<20, 1)
		if err = e; err != nil {
			break
		}
		if err = c.Upload(ctx, f.URL, sid, key, bytes.Repeat([]byte{1}, 1<<20)); err != nil {
			break
		}
		ups = append(ups, up{sid, key, rs})
	}
	wantCode(t, "above 3 MiB", err, filewire.ErrQuota)
	if len(ups) < 2 || len(ups) > 3 {
		t.Fatalf("%d MiB accepted under a 3 MiB watermark", len(ups))
	}
	if !strings.Contains(logs.String(), "store above -files-max-store") {
		t.Fatalf("the log does not say why:\n%s", logs.String())
	}
	if _, err := c.Download(ctx, f.URL, ups[0].rs[0]); err != nil {
		t.Fatalf("download above the watermark: %v", err)
	}
	for _, u := range ups {
		must(t, c.Delete(ctx, f.URL, u.sid, u.key))
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, _, _, _, err := c.NewChunk(ctx, f.URL, 1<<20, 1)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused after the chunks were deleted: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Free disk below -min-free-disk: QUOTA at once.
func TestLimitMinFreeDisk(t *testing.T) {
	f, logs := limited(t, func(l *files.Limits) { l.MinFreeDisk = 1 << 60 })
	time.Sleep(50 * time.Millisecond) // the first measurement
	_, _, _, _, err := clientFrom("192.0.2.1").NewChunk(ctx, f.URL, 65536, 1)
	for deadline := time.Now().Add(5 * time.Second); err == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_, _, _, _, err = clientFrom("192.0.2.1").NewChunk(ctx, f.URL, 65536, 1)
	}
	wantCode(t, "a new chunk with less than 1 EiB free", err, filewire.ErrQuota)
	if !strings.Contains(logs.String(), "free disk below -min-free-disk") {
		t.Fatalf("the log does not say why:\n%s", logs.String())
	}
}

// Recipients per chunk, set lower than the protocol's 4,096.
func TestLimitRecipientsPerChunk(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.MaxRecipients = 10 })
	c := clientFrom("192.0.2.1")
	sid, key, _, _, err := c.NewChunk(ctx, f.URL, 65536, 8)
	must(t, err)
	_, err = c.AddRecipients(ctx, f.URL, sid, key, 3)
	wantCode(t, "11 recipients of 10", err, filewire.ErrLimit)
	_, err = c.AddRecipients(ctx, f.URL, sid, key, 2)
	must(t, err)
}

// Requests in progress per address: the third of two allowed is LIMIT
// while two slow uploads hold their places.
func TestLimitRequestsPerAddress(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.MaxConnsPerAddr = 2 })
	c := clientFrom("192.0.2.1")
	var conns []net.Conn
	for range 2 {
		sid, key, _, _, err := c.NewChunk(ctx, f.URL, 65536, 1)
		must(t, err)
		conns = append(conns, slowPut(t, f.URL, sid, key, 65536, map[string]string{clientHeader: "192.0.2.1"}))
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	_, _, _, _, err := c.NewChunk(ctx, f.URL, 65536, 1)
	wantCode(t, "a third request while two are in progress", err, filewire.ErrLimit)
	if _, _, _, _, err := clientFrom("192.0.2.2").NewChunk(ctx, f.URL, 65536, 1); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// slowPut opens a raw connection and sends a signed PUT's headers and
// one byte of its body; it sends nothing more.
func slowPut(t *testing.T, base string, sid []byte, key ed25519.PrivateKey, size int, hdr map[string]string) net.Conn {
	t.Helper()
	u, err := url.Parse(base + "/chunk/" + filewire.B64(sid).String())
	must(t, err)
	conn, err := net.Dial("tcp", u.Host)
	must(t, err)
	date, auth := filewire.Sign(key, "PUT", u.EscapedPath(), time.Now(), make([]byte, size))
	var extra strings.Builder
	for k, v := range hdr {
		fmt.Fprintf(&extra, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s: %s\r\n%s: %s\r\n%s\r\n\x00",
		u.EscapedPath(), u.Host, size, filewire.HeaderDate, date, filewire.HeaderAuth, auth, extra.String())
	return conn
}

// Nothing the relay logs or writes to disk holds a client's address.
func TestNoAddressStoredOrLogged(t *testing.T) {
	f, logs := limited(t, func(l *files.Limits) { l.NewBurstPerAddr, l.NewRatePerAddr, l.MaxStore = 3, 0.001, 1<<20 })
	addr := "203.0.113.77"
	c := clientFrom(addr)
	for range 5 { // past the burst and the watermark: refusals are logged
		sid, key, rs, _, err := c.NewChunk(ctx, f.URL, 1<<20, 1)
		if err != nil {
			continue
		}
		c.Upload(ctx, f.URL, sid, key, make([]byte, 1<<20))
		c.Download(ctx, f.URL, rs[0])
	}
	files.LogRefusals(f.Server())
	f.Stop()
	needles := [][]byte{[]byte(addr), {203, 0, 113, 77}}
	for _, n := range needles {
		if bytes.Contains([]byte(logs.String()), n) {
			t.Fatalf("the log holds the client's address:\n%s", logs.String())
		}
	}
	err := filepath.Walk(f.Dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		for _, n := range needles {
			if bytes.Contains(b, n) && !strings.Contains(p, "chunks") { // chunk bytes are the client's own
				return fmt.Errorf("%s holds the client's address", p)
			}
		}
		return err
	})
	must(t, err)
	if !strings.Contains(logs.String(), "limits refused") {
		t.Fatalf("no refusal was logged:\n%s", logs.String())
	}
}

// Uploads in progress: an address's beyond -files-max-uploads-per-ip,
// and anyone's beyond -files-max-uploads, are LIMIT.
func TestLimitUploadsInProgress(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.MaxUploadsPerAddr, l.MaxUploads = 2, 3 })
	hold := func(addr string) net.Conn {
		sid, key, _, _, err := clientFrom(addr).NewChunk(ctx, f.URL, 65536, 1)
		must(t, err)
		return slowPut(t, f.URL, sid, key, 65536, map[string]string{clientHeader: addr})
	}
	upload := func(addr string) error {
		c := clientFrom(addr)
		sid, key, _, _, err := c.NewChunk(ctx, f.URL, 65536, 1)
		must(t, err)
		return c.Upload(ctx, f.URL, sid, key, make([]byte, 65536))
	}
	a1, a2 := hold("192.0.2.1"), hold("192.0.2.1")
	defer a1.Close()
	defer a2.Close()
	time.Sleep(200 * time.Millisecond)
	wantCode(t, "a third upload of one address", upload("192.0.2.1"), filewire.ErrLimit)
	b1 := hold("192.0.2.2")
	defer b1.Close()
	time.Sleep(200 * time.Millisecond)
	wantCode(t, "a fourth upload in all", upload("192.0.2.3"), filewire.ErrLimit)
	a1.Close()
	deadline := time.Now().Add(5 * time.Second)
	for upload("192.0.2.3") != nil {
		if time.Now().After(deadline) {
			t.Fatal("an upload's place was not given back when its client went away")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Uploads in progress count under the watermark until they land, also
// across its measurements: slow uploads taking the whole store, then a
// measurement while they run, then fast ones: those are refused, and the
// store ends within its limit.
func TestLimitStoreWatermarkSlowUploads(t *testing.T) {
	f, _ := limited(t, func(l *files.Limits) { l.MaxStore = 3 << 20 })
	c := clientFrom("192.0.2.1")
	slow := &cfiles.Client{HTTP: &rateHTTP{rate: 512 << 10}} // 1 MiB in 2 s
	var wg sync.WaitGroup
	for range 3 {
		sid, key, _, _, err := c.NewChunk(ctx, f.URL, 1<<20, 1)
		must(t, err)
		wg.Add(1)
		go func() { defer wg.Done(); slow.Upload(ctx, f.URL, sid, key, make([]byte, 1<<20)) }()
	}
	time.Sleep(1500 * time.Millisecond) // a measurement (every second) while they run
	refused := 0
	for range 3 {
		sid, key, _, _, err := c.NewChunk(ctx, f.URL, 1<<20, 1)
		if err == nil {
			err = c.Upload(ctx, f.URL, sid, key, make([]byte, 1<<20))
		}
		if err != nil {
			wantCode(t, "an upload while slow ones hold the store", err, filewire.ErrQuota)
			refused++
		}
	}
	wg.Wait()
	if refused == 0 || f.Stored() > 3<<20 {
		t.Fatalf("%d of 3 fast uploads refused, %d bytes stored under a 3 MiB watermark", refused, f.Stored())
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
