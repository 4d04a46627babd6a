package store

import (
	"bytes"
	"encoding/binary"
	"testing"

	rec "github.com/sxweb/sxweb/relay/store/record"
)

// A store written before queues had an active day still opens: its
// version-1 records read with day 0 ("unknown"), and are written back as
// version 2.
func TestRecordVersion1(t *testing.T) {
	q := Queue{RecipientID: bytes.Repeat([]byte{1}, 24), SenderID: bytes.Repeat([]byte{2}, 24), BoxKey: []byte{3}, Suspended: true}
	v1 := []byte{recVersion1, 1 | 2}
	v1 = binary.BigEndian.AppendUint64(v1, 7)
	v1 = binary.BigEndian.AppendUint32(v1, 5)
	v1 = rec.AppendFields(v1, q.RecipientID, q.SenderID, nil, nil, nil, nil, q.BoxKey)
	r, err := decodeRecord(v1)
	if err != nil || r.seq != 7 || r.count != 5 || !r.full || !r.q.Suspended || r.q.Active != 0 || !bytes.Equal(r.q.BoxKey, q.BoxKey) {
		t.Fatalf("version 1: %+v %v", r, err)
	}
	r.q.Active = 20000
	back, err := decodeRecord(r.encode())
	if err != nil || back.q.Active != 20000 || back.encode()[0] != recVersion || !bytes.Equal(back.encode(), r.encode()) {
		t.Fatalf("version 2 round trip: %+v %v", back, err)
	}
	for n := range len(v1) {
		if _, err := decodeRecord(r.encode()[:n]); err == nil && n < 18 {
			t.Fatalf("record cut to %d bytes decodes", n)
		}
	}
}
