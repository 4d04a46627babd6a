package chat

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
	"github.com/sxweb/sxweb/core/files"
)

// bigDescription is the description of a file of n 4 MiB chunks, as a
// recipient gets it.
func bigDescription(t *testing.T, n int) []byte {
	t.Helper()
	size := int64(n) * (files.MaxChunk - 64*files.Overhead) // n chunks' worth of plaintext
	layout, err := files.Layout(size)
	if err != nil {
		t.Fatal(err)
	}
	d := files.Description{Relay: "https://files.example/files", Size: size}
	rand.Read(d.Keys.Key[:])
	for _, c := range layout {
		ch := files.DescChunk{Size: c.Size, Len: c.Len, Digest: make([]byte, 32), ID: make([]byte, 24), Key: make([]byte, 32)}
		rand.Read(ch.Digest)
		rand.Read(ch.ID)
		rand.Read(ch.Key)
		d.Chunks = append(d.Chunks, ch)
	}
	d.Digest = files.FileDigest(d.Chunks)
	text, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// A description of any size goes in parts that each fit a message once
// encoded, numbered in order, the last one complete, that join into the
// description (a 300 MB file's, ~75 chunks, did not: its parts were cut
// by their text, which grows as a JSON string, and its first part was
// 13,559 bytes).
func TestDescriptionPartsFit(t *testing.T) {
	max := min(agent.MaxMessage, proto.MaxMessage)
	for _, chunks := range []int{1, 24, 75, 300, 2000, files.MaxChunks - 16} { // the largest file's tail adds chunks
		text := bigDescription(t, chunks)
		bodies, err := descrParts(proto.Bytes("msg-id-12345"), text, max)
		if err != nil {
			t.Fatalf("%d chunks: %v", chunks, err)
		}
		var joined strings.Builder
		for i, b := range bodies {
			if len(b) > max {
				t.Fatalf("%d chunks: part %d is %d bytes, the agent takes %d", chunks, i, len(b), max)
			}
			m, err := proto.DecodeOne(b)
			if err != nil {
				t.Fatalf("%d chunks: part %d: %v", chunks, i, err)
			}
			p, ok := m.Params.(*proto.MsgFileDescr)
			if !ok || p.FileDescr.FileDescrPartNo != i || p.FileDescr.FileDescrComplete != (i == len(bodies)-1) || string(p.MsgID) != "msg-id-12345" {
				t.Fatalf("%d chunks: part %d is %+v", chunks, i, m.Params)
			}
			joined.WriteString(p.FileDescr.FileDescrText)
		}
		if joined.String() != string(text) {
			t.Fatalf("%d chunks: the parts join into %d bytes, the description is %d", chunks, joined.Len(), len(text))
		}
		if len(bodies) > maxDescrParts {
			t.Fatalf("%d chunks in %d parts: a receiver takes %d", chunks, len(bodies), maxDescrParts)
		}
		if chunks >= 300 && len(bodies) < 2 {
			t.Fatalf("%d chunks in %d part", chunks, len(bodies))
		}
		if _, err := files.ParseDescription([]byte(joined.String())); err != nil {
			t.Fatalf("%d chunks: %v", chunks, err)
		}
	}
}
