package files_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cfiles "github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/files/nethttp"
	"github.com/sxweb/sxweb/internal/relaytest"
)

// BenchmarkFileTransfer sends a 100 MB file (SXWEB_FILES_BENCH_MB to
// change) to 20 recipients through core/files (encrypted, cut into chunks,
// one chunk at a time as the chat layer does) and the file relay of a
// cmd/relay process on 127.0.0.1, then downloads it: once, and by the 20
// recipients at once. It reports MB/s of the file's plaintext (encryption
// and decryption included), the relay process's peak RSS in each phase
// and what is on its disk (docs/file-relay-benchmarks.md):
//
//	go test -run XXX -bench FileTransfer -benchtime 1x ./relay/files/
func BenchmarkFileTransfer(b *testing.B) {
	mb := 100
	if s := os.Getenv("SXWEB_FILES_BENCH_MB"); s != "" {
		mb, _ = strconv.Atoi(s)
	}
	size := int64(mb) * 1e6
	plain := make([]byte, size)
	rand.Read(plain)
	const recipients = 20
	for b.Loop() {
		p := relaytest.StartProcess(b)
		c := &cfiles.Client{HTTP: nethttp.Client{}}
		rss := newRSS(b, p)
		base := rss.now()

		rss.reset()
		start := time.Now()
		keys, rs, layout, inRelay := upload(b, c, p.FilesURL, plain, recipients)
		up := time.Since(start)
		upRSS := rss.peak()
		chunkBytes, _, err := p.FileBytes()
		must(b, err)
		db, err := os.Stat(filepath.Join(p.Dir, "files", "files.db"))
		must(b, err)

		rss.reset()
		start = time.Now()
		var downRelay time.Duration
		if got := download(b, c, p.FilesURL, keys, size, layout, rs[0], &downRelay); !bytes.Equal(got, plain) {
			b.Fatal("the download is not the file")
		}
		down := time.Since(start)
		downRSS := rss.peak()

		rss.reset()
		start = time.Now()
		var wg sync.WaitGroup
		for i := 1; i < recipients; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); download(b, c, p.FilesURL, keys, size, layout, rs[i], new(time.Duration)) }()
		}
		wg.Wait()
		all := time.Since(start)
		allRSS := rss.peak()
		rss.stop()

		b.ReportMetric(float64(size)/1e6/up.Seconds(), "up-MB/s")
		b.ReportMetric(float64(size)/1e6/down.Seconds(), "down-MB/s")
		b.ReportMetric(float64(size)/1e6/inRelay.Seconds(), "up-requests-MB/s")
		b.ReportMetric(float64(size)/1e6/downRelay.Seconds(), "down-requests-MB/s")
		b.ReportMetric(float64(size)*(recipients-1)/1e6/all.Seconds(), "19down-MB/s")
		b.ReportMetric(float64(base)/(1<<20), "idle-RSS-MiB")
		b.ReportMetric(float64(upRSS)/(1<<20), "up-RSS-MiB")
		b.ReportMetric(float64(downRSS)/(1<<20), "down-RSS-MiB")
		b.ReportMetric(float64(allRSS)/(1<<20), "19down-RSS-MiB")
		b.ReportMetric(float64(chunkBytes)/float64(size), "disk/file")
		b.ReportMetric(float64(db.Size())/(1<<20), "db-MiB")
		p.Kill()
	}
}

// upload encrypts plain and sends it chunk by chunk for n recipients;
// it returns the keys, per recipient its ids, the layout and the time
// spent in the relay's requests (creating and uploading chunks).
func upload(b *testing.B, c *cfiles.Client, url string, plain []byte, n int) (cfiles.Keys, [][]cfiles.Recipient, []cfiles.Chunk, time.Duration) {
	keys, err := cfiles.NewKeys()
	must(b, err)
	layout, err := cfiles.Layout(int64(len(plain)))
	must(b, err)
	rs := make([][]cfiles.Recipient, n)
	var inRelay time.Duration
	for _, ch := range layout {
		data, err := keys.EncryptChunk(bytes.NewReader(plain), int64(len(plain)), ch)
		must(b, err)
		t0 := time.Now()
		sid, key, r, _, err := c.NewChunk(context.Background(), url, ch.Size, n)
		must(b, err)
		must(b, c.Upload(context.Background(), url, sid, key, data))
		inRelay += time.Since(t0)
		for i := range rs {
			rs[i] = append(rs[i], r[i])
		}
	}
	return keys, rs, layout, inRelay
}

// download gets one recipient's chunks in order and decrypts them,
// adding the time spent in the relay's requests to inRelay.
func download(b *testing.B, c *cfiles.Client, url string, keys cfiles.Keys, size int64, layout []cfiles.Chunk, rs []cfiles.Recipient, inRelay *time.Duration) []byte {
	dec := cfiles.NewDecryptor(keys, size, cfiles.State{})
	out := make([]byte, 0, size)
	for i, ch := range layout {
		t0 := time.Now()
		data, err := c.Download(context.Background(), url, rs[i])
		*inRelay += time.Since(t0)
		if err != nil {
			b.Error(err)
			return nil
		}
		p, err := dec.Write(data[:ch.Len])
		if err != nil {
			b.Error(err)
			return nil
		}
		out = append(out, p...)
	}
	return out
}

// rssSampler records the relay process's peak RSS, sampled every 20 ms.
type rssSampler struct {
	p    *relaytest.Process
	max  atomic.Int64
	quit chan struct{}
	done chan struct{}
}

func newRSS(b *testing.B, p *relaytest.Process) *rssSampler {
	s := &rssSampler{p: p, quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			if m, err := p.Mem(); err == nil && m.RSS > s.max.Load() {
				s.max.Store(m.RSS)
			}
			select {
			case <-s.quit:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return s
}

func (s *rssSampler) now() int64 {
	m, _ := s.p.Mem()
	return m.RSS
}

func (s *rssSampler) reset()      { s.max.Store(0) }
func (s *rssSampler) peak() int64 { return s.max.Load() }
func (s *rssSampler) stop()       { close(s.quit); <-s.done }
