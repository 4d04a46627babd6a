package diskstore

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/sxweb/sxweb/relay/files"
)

// Buckets of files.db.
var (
	bktChunks = []byte("c") // sender id → record
	bktRecips = []byte("r") // recipient id → sender id (24) ‖ recipient key (32)
	bktLinks  = []byte("l") // sender id ‖ recipient id → nothing (a chunk's recipients)
	bktExpiry = []byte("x") // expiry (ms, 8 bytes BE) ‖ sender id → nothing
)

const (
	idLen      = 24
	keyLen     = 32
	nameLen    = 16
	recVersion = 1
	// recLen: version, size, expiry, key, name, uploaded, digest, recipients.
	recLen = 1 + 4 + 8 + keyLen + nameLen + 1 + 32 + 4
)

// record is a chunk's record.
type record struct {
	size       int
	expires    int64 // ms since the epoch
	key        []byte
	name       [nameLen]byte // of its file in chunks/
	uploaded   bool
	digest     [32]byte
	recipients int
}

var errRecord = errors.New("diskstore: bad record")

func (r *record) encode() []byte {
	b := make([]byte, 0, recLen)
	b = append(b, recVersion)
	b = binary.BigEndian.AppendUint32(b, uint32(r.size))
	b = binary.BigEndian.AppendUint64(b, uint64(r.expires))
	b = append(b, r.key...)
	b = append(b, r.name[:]...)
	up := byte(0)
	if r.uploaded {
		up = 1
	}
	b = append(b, up)
	b = append(b, r.digest[:]...)
	return binary.BigEndian.AppendUint32(b, uint32(r.recipients))
}

// decodeRecord parses a record (never panics on any bytes: a damaged
// file is an error, fuzzed).
func decodeRecord(b []byte) (record, error) {
	if len(b) != recLen || b[0] != recVersion {
		return record{}, errRecord
	}
	var r record
	b = b[1:]
	r.size = int(binary.BigEndian.Uint32(b))
	r.expires = int64(binary.BigEndian.Uint64(b[4:]))
	b = b[12:]
	r.key = append([]byte(nil), b[:keyLen]...)
	b = b[keyLen:]
	copy(r.name[:], b)
	b = b[nameLen:]
	if b[0] > 1 {
		return record{}, errRecord
	}
	r.uploaded = b[0] == 1
	copy(r.digest[:], b[1:33])
	r.recipients = int(binary.BigEndian.Uint32(b[33:]))
	return r, nil
}

// chunk is the record as files.Chunk.
func (r *record) chunk(sid []byte) files.Chunk {
	c := files.Chunk{SenderID: append([]byte(nil), sid...), SenderKey: r.key, Size: r.size,
		Expires: time.UnixMilli(r.expires), Uploaded: r.uploaded, Recipients: r.recipients}
	if r.uploaded {
		c.Digest = append([]byte(nil), r.digest[:]...)
	}
	return c
}

func expiryKey(ms int64, sid []byte) []byte {
	return append(binary.BigEndian.AppendUint64(make([]byte, 0, 8+idLen), uint64(ms)), sid...)
}
