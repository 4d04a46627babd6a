package cfworker

import (
	"bytes"
	"os"
	"testing"

	"github.com/sxweb/sxweb/relay/store/record"
)

// TestWriteSeeds rewrites the fuzz seeds in testdata/:
// SXWEB_WRITE_SEEDS=1 go test -run TestWriteSeeds ./relay/cfworker
func TestWriteSeeds(t *testing.T) {
	if os.Getenv("SXWEB_WRITE_SEEDS") == "" {
		t.Skip("set SXWEB_WRITE_SEEDS=1 to rewrite testdata/")
	}
	s := &queueState{q: record.Queue{RecipientID: bytes.Repeat([]byte{1}, 24), SenderID: bytes.Repeat([]byte{2}, 24)}, next: 2, sub: []byte{6}}
	req := QueueReq{Push: true, Raw: []byte{0x21, 9}}
	for name, b := range map[string][]byte{
		"state.bin":     s.encode(),
		"queuereq.bin":  EncodeQueueReq(req),
		"list.bin":      EncodeList([][]byte{{1, 2}, {}}),
		"message.bin":   encodeMsg(record.Message{ID: bytes.Repeat([]byte{3}, 24), Timestamp: 5, Body: []byte("x")}),
		"truncated.bin": s.encode()[:20],
	} {
		if err := os.WriteFile("testdata/"+name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
