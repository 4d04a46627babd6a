package backup

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sxweb/sxweb/core/store"
)

// The stream inside the segments is a sequence of entries, each a tag
// byte and its fields (uvarint lengths and numbers):
//
//	'I' info:   len, JSON {"created": ms since the epoch}        first
//	'R' record: len, bucket, len, key, len, value                 by (bucket, key), strictly increasing; no system bucket
//	'F' file:   len, id, size, then size bytes of the file        by id, strictly increasing; only with the header's files flag
//	'E' end:    number of records, number of files                last: the stream ends right after it
const (
	tagInfo   = 'I'
	tagRecord = 'R'
	tagFile   = 'F'
	tagEnd    = 'E'
)

// Limits an entry must keep (a backup beyond them is not one of ours).
const (
	MaxBucket   = 255
	MaxKey      = 64 << 10
	MaxValue    = 16 << 20
	MaxFileID   = 255
	MaxFileSize = 1 << 36
	maxInfo     = 4 << 10
)

// Info is what a backup says of itself.
type Info struct {
	Created time.Time
}

type infoJSON struct {
	Created int64 `json:"created"`
}

func appendInfo(b []byte, i Info) []byte {
	j, _ := json.Marshal(infoJSON{Created: i.Created.UnixMilli()})
	b = append(b, tagInfo)
	b = binary.AppendUvarint(b, uint64(len(j)))
	return append(b, j...)
}

func appendRecord(b []byte, bucket, key string, value []byte) []byte {
	b = append(b, tagRecord)
	b = binary.AppendUvarint(b, uint64(len(bucket)))
	b = append(b, bucket...)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(value)))
	return append(b, value...)
}

func appendFileHead(b []byte, id string, size int64) []byte {
	b = append(b, tagFile)
	b = binary.AppendUvarint(b, uint64(len(id)))
	b = append(b, id...)
	return binary.AppendUvarint(b, uint64(size))
}

func appendEnd(b []byte, records, files uint64) []byte {
	b = append(b, tagEnd)
	b = binary.AppendUvarint(b, records)
	return binary.AppendUvarint(b, files)
}

// checkRecord is what a record must be to enter a backup.
func checkRecord(bucket, key string, value []byte) error {
	switch {
	case bucket == "" || len(bucket) > MaxBucket || store.IsSystem(bucket):
		return fmt.Errorf("bucket %q", bucket)
	case len(key) > MaxKey:
		return fmt.Errorf("key of %d bytes", len(key))
	case len(value) > MaxValue:
		return fmt.Errorf("value of %d bytes", len(value))
	}
	return nil
}

func checkFile(id string, size int64) error {
	if id == "" || len(id) > MaxFileID || size < 0 || size > MaxFileSize {
		return fmt.Errorf("file %q of %d bytes", id, size)
	}
	return nil
}

// after reports whether (bucket, key) comes strictly after last.
func after(last *store.Pos, bucket, key string) bool {
	return last == nil || bucket > last.Bucket || (bucket == last.Bucket && key > last.Key)
}

// Entry is one record or one file of a backup (Reader.Next).
type Entry struct {
	Record *store.Record // a record, or
	FileID string        // a file, whose Size bytes Reader.Read returns
	Size   int64
}

// decoder reads entries and checks their order and limits. Every
// failure is ErrBadBackup (the segments authenticate the bytes; a stream
// that does not decode was written wrong or forged with the passphrase).
type decoder struct {
	r         *bufio.Reader
	withFiles bool
	last      *store.Pos
	lastFile  string
	inFiles   bool
	records   uint64
	files     uint64
	left      int64 // bytes of the current file not read yet
	ended     bool
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadBackup, fmt.Sprintf(format, args...))
}

func (d *decoder) uvarint(what string) (uint64, error) {
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		return 0, d.cut(what, err)
	}
	return v, nil
}

// cut turns a read error into ErrBadBackup, except an error of the
// underlying reader (the caller's I/O) or an ErrBadBackup already.
func (d *decoder) cut(what string, err error) error {
	if errors.Is(err, ErrBadBackup) || (err != io.EOF && err != io.ErrUnexpectedEOF && !isOverflow(err)) {
		return err
	}
	return bad("%s: the stream ends before the end entry", what)
}

func isOverflow(err error) bool {
	return err != nil && err.Error() == "binary: varint overflows a 64-bit integer"
}

func (d *decoder) bytes(what string, max uint64) ([]byte, error) {
	n, err := d.uvarint(what)
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, bad("%s of %d bytes", what, n)
	}
	if n <= 64<<10 {
		b := make([]byte, n)
		if _, err := io.ReadFull(d.r, b); err != nil {
			return nil, d.cut(what, err)
		}
		return b, nil
	}
	// a large value grows as its bytes come, not by what a length says
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(d.r, int64(n))); err != nil {
		return nil, d.cut(what, err)
	}
	if uint64(buf.Len()) != n {
		return nil, d.cut(what, io.ErrUnexpectedEOF)
	}
	return buf.Bytes(), nil
}

// info reads the first entry.
func (d *decoder) info() (Info, error) {
	tag, err := d.r.ReadByte()
	if err != nil {
		return Info{}, d.cut("info", err)
	}
	if tag != tagInfo {
		return Info{}, bad("the first entry is %q, not info", tag)
	}
	b, err := d.bytes("info", maxInfo)
	if err != nil {
		return Info{}, err
	}
	var j infoJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Info{}, bad("info: %v", err)
	}
	return Info{Created: time.UnixMilli(j.Created).UTC()}, nil
}

// next reads the next record or file (skipping what is left of the
// current file's bytes); io.EOF after the end entry.
func (d *decoder) next() (Entry, error) {
	if d.ended {
		return Entry{}, io.EOF
	}
	if d.left > 0 {
		if _, err := io.CopyN(io.Discard, d.r, d.left); err != nil {
			return Entry{}, d.cut("file", err)
		}
		d.left = 0
	}
	tag, err := d.r.ReadByte()
	if err != nil {
		return Entry{}, d.cut("entry", err)
	}
	switch tag {
	case tagRecord:
		return d.record()
	case tagFile:
		return d.file()
	case tagEnd:
		return Entry{}, d.end()
	}
	return Entry{}, bad("entry tag %q", tag)
}

func (d *decoder) record() (Entry, error) {
	if d.inFiles {
		return Entry{}, bad("a record after the files")
	}
	bucket, err := d.bytes("bucket", MaxBucket)
	if err != nil {
		return Entry{}, err
	}
	key, err := d.bytes("key", MaxKey)
	if err != nil {
		return Entry{}, err
	}
	value, err := d.bytes("value", MaxValue)
	if err != nil {
		return Entry{}, err
	}
	if err := checkRecord(string(bucket), string(key), value); err != nil {
		return Entry{}, bad("record: %v", err)
	}
	if !after(d.last, string(bucket), string(key)) {
		return Entry{}, bad("record %q/%q: %v", bucket, key, errOrder)
	}
	d.last = &store.Pos{Bucket: string(bucket), Key: string(key)}
	d.records++
	return Entry{Record: &store.Record{Bucket: string(bucket), Key: string(key), Value: value}}, nil
}

func (d *decoder) file() (Entry, error) {
	if !d.withFiles {
		return Entry{}, bad("a file in a backup without files")
	}
	id, err := d.bytes("file id", MaxFileID)
	if err != nil {
		return Entry{}, err
	}
	size, err := d.uvarint("file size")
	if err != nil {
		return Entry{}, err
	}
	if err := checkFile(string(id), int64(min(size, MaxFileSize+1))); err != nil {
		return Entry{}, bad("%v", err)
	}
	if d.inFiles && string(id) <= d.lastFile {
		return Entry{}, bad("file %q: %v", id, errOrder)
	}
	d.inFiles, d.lastFile, d.left = true, string(id), int64(size)
	d.files++
	return Entry{FileID: string(id), Size: int64(size)}, nil
}

func (d *decoder) end() error {
	records, err := d.uvarint("end")
	if err != nil {
		return err
	}
	files, err := d.uvarint("end")
	if err != nil {
		return err
	}
	if records != d.records || files != d.files {
		return bad("the end entry counts %d records and %d files, the stream held %d and %d", records, files, d.records, d.files)
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		if err == nil {
			return bad("bytes after the end entry")
		}
		return d.cut("end", err)
	}
	d.ended = true
	return io.EOF
}

// Read reads the current file's bytes (io.EOF at its end).
func (d *decoder) Read(p []byte) (int, error) {
	if d.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > d.left {
		p = p[:d.left]
	}
	n, err := d.r.Read(p)
	d.left -= int64(n)
	if err != nil && (err != io.EOF || d.left > 0) {
		return n, d.cut("file", err)
	}
	return n, nil
}
