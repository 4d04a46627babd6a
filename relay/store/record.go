package store

import (
	"encoding/binary"

	rec "github.com/sxweb/sxweb/relay/store/record"
)

// record is a queue as Bolt keeps it: the Queue plus its message counter.
type record struct {
	q     Queue
	seq   uint64 // last message sequence number
	count uint32 // messages stored
	full  bool   // quota was hit; cleared when the queue is empty
}

// Record versions: 1 had no active day (read as 0, "unknown"); 2 is
// written since queues expire when idle.
const (
	recVersion1 = 1
	recVersion  = 2
)

// encode: version, flags (1 suspended, 2 full), seq u64, count u32, active
// day u32, then each field as a one-byte length and its bytes.
func (r *record) encode() []byte {
	b := make([]byte, 0, 256)
	var flags byte
	if r.q.Suspended {
		flags |= 1
	}
	if r.full {
		flags |= 2
	}
	b = append(b, recVersion, flags)
	b = binary.BigEndian.AppendUint64(b, r.seq)
	b = binary.BigEndian.AppendUint32(b, r.count)
	b = binary.BigEndian.AppendUint32(b, r.q.Active)
	return rec.AppendFields(b, r.q.RecipientID, r.q.SenderID, r.q.RecipientKey, r.q.RecipientMAC, r.q.SenderKey, r.q.SenderMAC, r.q.BoxKey)
}

func decodeRecord(v []byte) (*record, error) {
	head := 14
	if len(v) > 0 && v[0] == recVersion {
		head = 18
	}
	if len(v) < head || (v[0] != recVersion && v[0] != recVersion1) {
		return nil, errCorrupt
	}
	r := &record{}
	r.q.Suspended, r.full = v[1]&1 != 0, v[1]&2 != 0
	r.seq = binary.BigEndian.Uint64(v[2:])
	r.count = binary.BigEndian.Uint32(v[10:])
	if head == 18 {
		r.q.Active = binary.BigEndian.Uint32(v[14:])
	}
	if _, ok := rec.ReadFields(v[head:], &r.q.RecipientID, &r.q.SenderID, &r.q.RecipientKey, &r.q.RecipientMAC, &r.q.SenderKey, &r.q.SenderMAC, &r.q.BoxKey); !ok {
		return nil, errCorrupt
	}
	return r, nil
}
