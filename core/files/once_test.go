package files_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/internal/fakefiles"
)

// A whole file for one recipient: uploaded, its description through a
// link's worth of JSON, downloaded back; a chunk changed on the relay
// fails the download.
func TestUploadDownloadFile(t *testing.T) {
	ctx := context.Background()
	relay := fakefiles.NewRelay()
	c := &files.Client{HTTP: relay}
	for _, size := range []int{0, 1, 5<<20 + 123} {
		data := make([]byte, size)
		rand.Read(data)
		d, err := c.UploadFile(ctx, "https://files.test/files", bytes.NewReader(data), int64(size))
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := files.ParseDescription(b)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		if err := c.DownloadFile(ctx, d2, func(p []byte) error { got = append(got, p...); return nil }); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: got %d back", size, len(got))
		}
		if size > 1 {
			relay.SetTamper(func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
			if err := c.DownloadFile(ctx, d2, func([]byte) error { return nil }); !errors.Is(err, files.ErrChunkDigest) {
				t.Fatalf("a changed chunk: %v", err)
			}
			relay.SetTamper(nil)
		}
		c.AckFile(ctx, d2)
	}
}
