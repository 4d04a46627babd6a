package filesuite

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
)

// A chunk for three recipients is uploaded once and each downloads it
// whole; its expiry is the relay's.
func testRoundTrip(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 3)
	if d := c.Expires.Sub(tg.now()); d < tg.expiry()-time.Minute || d > tg.expiry()+time.Minute {
		t.Fatalf("expires in %v, want %v", d, tg.expiry())
	}
	data := Random(c.Size)
	var before int64
	if tg.Stored != nil {
		before = tg.Stored()
	}
	must(t, c.Upload(t, tg, data))
	if tg.Stored != nil && tg.Stored()-before != int64(c.Size) {
		t.Fatalf("stored grew by %d bytes for a %d-byte chunk", tg.Stored()-before, c.Size)
	}
	for i, r := range c.Rs {
		got, err := Client(tg).Download(Ctx(t), tg.URL, r)
		must(t, err)
		if !bytes.Equal(got, data) {
			t.Fatalf("recipient %d got %d other bytes", i, len(got))
		}
	}
}

// Every chunk size goes up and comes back with its length.
func testEverySize(t *testing.T, tg Target) {
	for _, size := range filewire.ChunkSizes {
		c := NewChunk(t, tg, size, 1)
		data := Random(size)
		must(t, c.Upload(t, tg, data))
		a := Do(t, tg, Raw{Method: "GET", Path: "/chunk/" + ID(c.Rs[0].ID), Key: edKey(c.Rs[0].Seed)})
		if a.Status != 200 || !bytes.Equal(a.Body, data) || a.Header.Get("Content-Length") != itoa(size) {
			t.Fatalf("size %d: %d, %d bytes, Content-Length %q", size, a.Status, len(a.Body), a.Header.Get("Content-Length"))
		}
	}
}

// The same bytes again succeed; other bytes are CONFLICT and the first
// stay.
func testUploadTwice(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 1)
	data := Random(c.Size)
	must(t, c.Upload(t, tg, data))
	must(t, c.Upload(t, tg, data))
	WantCode(t, "other bytes", c.Upload(t, tg, Random(c.Size)), filewire.ErrConflict)
	got, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("the second upload replaced the first")
	}
}

// Uploads of one chunk at once: with the same bytes all succeed; with
// different ones exactly one does and its bytes are the chunk's.
func testConcurrentUploads(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 256<<10, 1)
	same := Random(c.Size)
	errs := parallel(8, func(int) error { return c.Upload(t, tg, same) })
	for _, err := range errs {
		must(t, err)
	}
	c = NewChunk(t, tg, 256<<10, 1)
	datas := make([][]byte, 8)
	for i := range datas {
		datas[i] = Random(c.Size)
	}
	errs = parallel(8, func(i int) error { return c.Upload(t, tg, datas[i]) })
	won := -1
	for i, err := range errs {
		if err == nil {
			if won >= 0 {
				t.Fatalf("uploads %d and %d of different bytes both succeeded", won, i)
			}
			won = i
		} else {
			WantCode(t, "a losing upload", err, filewire.ErrConflict)
		}
	}
	if won < 0 {
		t.Fatal("no upload succeeded")
	}
	got, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	must(t, err)
	if !bytes.Equal(got, datas[won]) {
		t.Fatal("the chunk is not the winning upload's bytes")
	}
}

func parallel(n int, f func(int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f(i) }()
	}
	wg.Wait()
	return errs
}

func testDownloadBeforeUpload(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 1)
	_, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	WantCode(t, "GET before upload", err, filewire.ErrNotFound)
}

// A recipient that is done cannot download again; the chunk goes when
// the last one is done (its sender's ids are then unknown too).
func testRecipientsDone(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 2)
	data := Random(c.Size)
	must(t, c.Upload(t, tg, data))
	var before int64
	if tg.Stored != nil {
		before = tg.Stored()
	}
	cl := Client(tg)
	_, err := cl.Download(Ctx(t), tg.URL, c.Rs[0])
	must(t, err)
	must(t, cl.Ack(Ctx(t), tg.URL, c.Rs[0]))
	_, err = cl.Download(Ctx(t), tg.URL, c.Rs[0])
	WantCode(t, "GET after ack", err, filewire.ErrAuth)
	WantCode(t, "a second ack", cl.Ack(Ctx(t), tg.URL, c.Rs[0]), filewire.ErrAuth)
	got, err := cl.Download(Ctx(t), tg.URL, c.Rs[1])
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("the other recipient's download")
	}
	must(t, cl.Upload(Ctx(t), tg.URL, c.SenderID, c.SenderKey, data)) // still there
	must(t, cl.Ack(Ctx(t), tg.URL, c.Rs[1]))
	WantCode(t, "the sender's upload once every recipient is done", c.Upload(t, tg, data), filewire.ErrAuth)
	WantCode(t, "the sender's delete once every recipient is done", cl.Delete(Ctx(t), tg.URL, c.SenderID, c.SenderKey), filewire.ErrAuth)
	if tg.Stored != nil && before-tg.Stored() != int64(c.Size) {
		t.Fatalf("stored went from %d to %d: the chunk's %d bytes are not gone", before, tg.Stored(), c.Size)
	}
}

// The sender's delete takes the chunk and every recipient id.
func testSenderDeletes(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 2)
	must(t, c.Upload(t, tg, Random(c.Size)))
	cl := Client(tg)
	must(t, cl.Delete(Ctx(t), tg.URL, c.SenderID, c.SenderKey))
	for _, r := range c.Rs {
		_, err := cl.Download(Ctx(t), tg.URL, r)
		WantCode(t, "GET after the sender's delete", err, filewire.ErrAuth)
		WantCode(t, "ack after the sender's delete", cl.Ack(Ctx(t), tg.URL, r), filewire.ErrAuth)
	}
	WantCode(t, "delete again", cl.Delete(Ctx(t), tg.URL, c.SenderID, c.SenderKey), filewire.ErrAuth)
	// a chunk never uploaded goes as well
	c = NewChunk(t, tg, 64<<10, 1)
	must(t, cl.Delete(Ctx(t), tg.URL, c.SenderID, c.SenderKey))
	WantCode(t, "upload after delete", c.Upload(t, tg, Random(c.Size)), filewire.ErrAuth)
}

// Recipients added later download like the first ones (also past one
// request's 1,024); an add needs the sender's key.
func testAddRecipients(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 1)
	data := Random(c.Size)
	must(t, c.Upload(t, tg, data))
	cl := Client(tg)
	more, err := cl.AddRecipients(Ctx(t), tg.URL, c.SenderID, c.SenderKey, 1100)
	must(t, err)
	if len(more) != 1100 {
		t.Fatalf("%d recipients added", len(more))
	}
	for _, r := range []int{0, 1099} {
		got, err := cl.Download(Ctx(t), tg.URL, more[r])
		must(t, err)
		if !bytes.Equal(got, data) {
			t.Fatalf("added recipient %d", r)
		}
	}
	_, err = cl.AddRecipients(Ctx(t), tg.URL, c.SenderID, edKey(c.Rs[0].Seed), 1)
	WantCode(t, "add signed by a recipient", err, filewire.ErrAuth)
	// more than one request carries
	keys := make([]filewire.B64, filewire.MaxRecipientsPerRequest+1)
	for i := range keys {
		keys[i] = pub(newKey())
	}
	Do(t, tg, Raw{Method: "POST", Path: "/add/" + ID(c.SenderID), Key: c.SenderKey,
		Body: jsonBody(t, filewire.AddRequest{RecipientKeys: keys})}).Want(t, "1,025 keys in one add", filewire.ErrBadRequest)
	Do(t, tg, Raw{Method: "POST", Path: "/new", Key: c.SenderKey,
		Body: jsonBody(t, filewire.NewRequest{SenderKey: pub(c.SenderKey), RecipientKeys: keys, Size: 65536})}).Want(t, "1,025 keys in one new", filewire.ErrBadRequest)
	Do(t, tg, Raw{Method: "POST", Path: "/add/" + ID(c.SenderID), Key: c.SenderKey,
		Body: jsonBody(t, filewire.AddRequest{})}).Want(t, "an add of nobody", filewire.ErrBadRequest)
}

// A chunk takes 4,096 recipients and no more (LIMIT).
func testRecipientsPerChunk(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, filewire.MaxRecipientsPerRequest)
	cl := Client(tg)
	_, err := cl.AddRecipients(Ctx(t), tg.URL, c.SenderID, c.SenderKey, filewire.MaxRecipientsPerChunk-filewire.MaxRecipientsPerRequest)
	must(t, err)
	_, err = cl.AddRecipients(Ctx(t), tg.URL, c.SenderID, c.SenderKey, 1)
	WantCode(t, "the 4,097th recipient", err, filewire.ErrLimit)
	// one done makes room for one
	must(t, cl.Ack(Ctx(t), tg.URL, c.Rs[0]))
	_, err = cl.AddRecipients(Ctx(t), tg.URL, c.SenderID, c.SenderKey, 1)
	must(t, err)
}
