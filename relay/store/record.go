package store

import (
	"encoding/binary"
)

// record is a queue as Bolt keeps it: the Queue plus its message counter.
type record struct {
	q     Queue
	seq   uint64 // last message sequence number
	count uint32 // messages stored
	full  bool   // quota was hit; cleared when the queue is empty
}

const recVersion = 1

// encode: version, flags (1 suspended, 2 full), seq u64, count u32, then
// each field as a one-byte length and its bytes.
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
	for _, f := range [][]byte{r.q.RecipientID, r.q.SenderID, r.q.RecipientKey, r.q.RecipientMAC, r.q.SenderKey, r.q.SenderMAC, r.q.BoxKey} {
		b = append(b, byte(len(f)))
		b = append(b, f...)
	}
	return b
}

func decodeRecord(v []byte) (*record, error) {
	if len(v) < 14 || v[0] != recVersion {
		return nil, errCorrupt
	}
	r := &record{}
	r.q.Suspended, r.full = v[1]&1 != 0, v[1]&2 != 0
	r.seq = binary.BigEndian.Uint64(v[2:])
	r.count = binary.BigEndian.Uint32(v[10:])
	p := v[14:]
	fields := []*[]byte{&r.q.RecipientID, &r.q.SenderID, &r.q.RecipientKey, &r.q.RecipientMAC, &r.q.SenderKey, &r.q.SenderMAC, &r.q.BoxKey}
	for _, f := range fields {
		if len(p) < 1 || len(p) < 1+int(p[0]) {
			return nil, errCorrupt
		}
		if p[0] > 0 {
			*f = clone(p[1 : 1+int(p[0])])
		}
		p = p[1+int(p[0]):]
	}
	return r, nil
}
