package filesuite

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
)

// A chunk lives until its expiry, uploaded or not; then its ids are
// unknown and its bytes gone.
func testExpiry(t *testing.T, tg Target) {
	if tg.Advance == nil {
		t.Skip("the relay's clock cannot be moved")
	}
	up, idle := NewChunk(t, tg, 64<<10, 1), NewChunk(t, tg, 64<<10, 1)
	data := Random(up.Size)
	must(t, up.Upload(t, tg, data))
	var before int64
	if tg.Stored != nil {
		before = tg.Stored()
	}
	step := min(time.Minute, tg.expiry()/4) // a relay of short expiry runs in real time
	tg.Advance(tg.expiry() - step)
	got, err := Client(tg).Download(Ctx(t), tg.URL, up.Rs[0])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("download before expiry")
	}
	tg.Advance(2 * step)
	_, err = Client(tg).Download(Ctx(t), tg.URL, up.Rs[0])
	WantCode(t, "GET after expiry", err, filewire.ErrAuth)
	WantCode(t, "upload after expiry", idle.Upload(t, tg, data), filewire.ErrAuth)
	WantCode(t, "delete after expiry", Client(tg).Delete(Ctx(t), tg.URL, up.SenderID, up.SenderKey), filewire.ErrAuth)
	if tg.Stored != nil && before-tg.Stored() < int64(up.Size) {
		t.Fatalf("stored %d bytes after expiry, %d before: the chunk's bytes were not deleted", tg.Stored(), before)
	}
	// a new chunk lives again
	c := NewChunk(t, tg, 64<<10, 1)
	must(t, c.Upload(t, tg, data))
}

// Chunks, uploaded or not, and recipient ids survive a restart; an upload
// after it and the same bytes again work.
func testRestart(t *testing.T, tg Target) {
	if tg.Restart == nil {
		t.Skip("the relay cannot be restarted")
	}
	up, later := NewChunk(t, tg, 256<<10, 2), NewChunk(t, tg, 64<<10, 1)
	data, data2 := Random(up.Size), Random(later.Size)
	must(t, up.Upload(t, tg, data))
	tg.Restart()
	cl := Client(tg)
	got, err := cl.Download(Ctx(t), tg.URL, up.Rs[0])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("after restart: other bytes")
	}
	must(t, up.Upload(t, tg, data))
	WantCode(t, "other bytes after restart", up.Upload(t, tg, Random(up.Size)), filewire.ErrConflict)
	must(t, later.Upload(t, tg, data2))
	got, err = cl.Download(Ctx(t), tg.URL, later.Rs[0])
	must(t, err)
	if !bytes.Equal(got, data2) {
		t.Fatal("a chunk uploaded after the restart")
	}
	must(t, cl.Ack(Ctx(t), tg.URL, up.Rs[0]))
	must(t, cl.Ack(Ctx(t), tg.URL, up.Rs[1]))
	WantCode(t, "a chunk whose recipients are done, after restart", up.Upload(t, tg, data), filewire.ErrAuth)
}

// A relay killed while a chunk is half uploaded shows nothing of it
// after it restarts (GET: NOT_FOUND, no file of it left behind), and the
// chunk can be uploaded again.
func testCrashMidUpload(t *testing.T, tg Target) {
	if tg.Kill == nil {
		t.Skip("the relay cannot be killed")
	}
	c := NewChunk(t, tg, 4<<20, 1)
	data := Random(c.Size)
	conn := startPut(t, tg, c, data, len(data)/2)
	defer conn.Close()
	if tg.Leftovers != nil { // the upload is on disk, half
		for deadline := time.Now().Add(10 * time.Second); tg.Leftovers() == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the half upload never reached the relay's disk")
			}
		}
	} else {
		time.Sleep(300 * time.Millisecond)
	}
	tg.Kill()
	_, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	WantCode(t, "GET of a chunk half uploaded at a crash", err, filewire.ErrNotFound)
	if tg.Leftovers != nil {
		if n := tg.Leftovers(); n != 0 {
			t.Fatalf("%d uploads in progress left on disk after the restart", n)
		}
	}
	must(t, c.Upload(t, tg, data))
	got, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("the upload after the crash")
	}
}

// startPut sends a signed PUT of data's headers and its first n bytes on
// a raw connection, and leaves it open.
func startPut(t *testing.T, tg Target, c Chunk, data []byte, n int) net.Conn {
	t.Helper()
	u, err := url.Parse(tg.URL + "/chunk/" + ID(c.SenderID))
	must(t, err)
	conn, err := net.Dial("tcp", u.Host)
	must(t, err)
	date, auth := filewire.Sign(c.SenderKey, "PUT", u.EscapedPath(), tg.now(), data)
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s: %s\r\n%s: %s\r\n\r\n",
		u.EscapedPath(), u.Host, len(data), filewire.HeaderDate, date, filewire.HeaderAuth, auth)
	_, err = io.Copy(conn, bytes.NewReader(data[:n]))
	must(t, err)
	return conn
}
