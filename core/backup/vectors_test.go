package backup

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

var update = flag.Bool("update", false, "rewrite testdata (vectors and fuzz seeds)")

// A vector is one backup file and what importing it must give, after
// age's testkit: a header of "name: value" lines, a blank line, then the
// backup in base64. expect is ok or an error code; for ok, the records'
// digest (records-sha256) and the files' (files-sha256).
type vector struct {
	expect, passphrase, comment string
	schema                      int
	records, files              string // hex SHA-256 (digestRecords, digestFiles)
	data                        []byte
}

func digestRecords(rs []store.Record) string {
	h := sha256.New()
	for _, r := range rs {
		h.Write(appendRecord(nil, r.Bucket, r.Key, r.Value))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func digestFiles(m memFiles, ids []string) string {
	h := sha256.New()
	for _, id := range ids {
		fmt.Fprintf(h, "%s %d\n", id, len(m.bytes(id)))
		h.Write(m.bytes(id))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func parseVector(b []byte) (*vector, error) {
	head, body, ok := bytes.Cut(b, []byte("\n\n"))
	if !ok {
		return nil, errors.New("no blank line")
	}
	v := &vector{}
	sc := bufio.NewScanner(bytes.NewReader(head))
	for sc.Scan() {
		name, val, _ := strings.Cut(sc.Text(), ": ")
		switch name {
		case "expect":
			v.expect = val
		case "passphrase":
			v.passphrase = val
		case "schema":
			v.schema, _ = strconv.Atoi(val)
		case "records-sha256":
			v.records = val
		case "files-sha256":
			v.files = val
		case "comment":
			v.comment = val
		default:
			return nil, fmt.Errorf("unknown field %q", name)
		}
	}
	data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
	v.data = data
	return v, err
}

func (v *vector) marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "expect: %s\npassphrase: %s\nschema: %d\n", v.expect, v.passphrase, v.schema)
	if v.records != "" {
		fmt.Fprintf(&b, "records-sha256: %s\nfiles-sha256: %s\n", v.records, v.files)
	}
	fmt.Fprintf(&b, "comment: %s\n\n", v.comment)
	enc := base64.StdEncoding.EncodeToString(v.data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\n")
	return b.Bytes()
}

func TestVectors(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.vector")
	if len(paths) == 0 {
		t.Fatal("no vectors in testdata (go test -run Vectors -update writes them)")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			v, err := parseVector(b)
			if err != nil {
				t.Fatal(err)
			}
			db, files := memstore.New(), memFiles{}
			res, err := importBytes(v.data, v.passphrase, target(db, files), ImportOptions{Schema: v.schema})
			if v.expect != "ok" {
				var e *Error
				if !errors.As(err, &e) || e.Code != v.expect {
					t.Fatalf("import: %v, want %s", err, v.expect)
				}
				return
			}
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if got := digestRecords(records(t, db)); got != v.records {
				t.Fatalf("records-sha256 %s, want %s", got, v.records)
			}
			if got := digestFiles(files, res.Files); got != v.files {
				t.Fatalf("files-sha256 %s, want %s", got, v.files)
			}
		})
	}
}

// TestWriteVectors writes testdata (go test -run WriteVectors -update):
// the vectors, and the fuzz seeds taken from them.
func TestWriteVectors(t *testing.T) {
	if !*update {
		t.Skip("with -update only")
	}
	old, _ := filepath.Glob("testdata/*")
	for _, p := range old {
		os.Remove(p)
	}
	small := memstore.New()
	var b store.Batch
	b.Put("a.conn", "c1", []byte(`{"status":"connected"}`))
	b.Put("c.msg", "g1/\x00\x00\x00\x01", []byte("hello"))
	b.Put("c.msg", "g1/\x00\x00\x00\x02", []byte{})
	b.Put("c.meta", "schema", []byte("2"))
	small.Apply(ctx, &b)
	withFiles := memFiles{"f1": {[]byte("file one")}, "f2": {bytes.Repeat([]byte{7}, 3000)}}

	ok := func(name, comment string, st store.Scanner, files memFiles) []byte {
		data := export(t, st, files)
		db, got := memstore.New(), memFiles{}
		res, err := importBytes(data, pass, target(db, got), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		write(t, name, &vector{expect: "ok", passphrase: pass, schema: 2, comment: comment, data: data,
			records: digestRecords(records(t, db)), files: digestFiles(got, res.Files)})
		return data
	}
	ok("ok_empty", "no records", memstore.New(), nil)
	data := ok("ok_records", "four records, binary keys, an empty value", small, nil)
	ok("ok_files", "records and two files", small, withFiles)
	fail := func(name, code, comment string, data []byte, passphrase string, schema int) {
		write(t, name, &vector{expect: code, passphrase: passphrase, schema: schema, comment: comment, data: data})
	}
	fail("bad_passphrase", "BAD_PASSPHRASE", "ok_records with another passphrase", data, "Correct horse battery staple", 2)
	fail("truncated", "BAD_BACKUP", "ok_records without its last 10 bytes", data[:len(data)-10], pass, 2)
	fail("extended", "BAD_BACKUP", "ok_records and one zero byte", append(bytes.Clone(data), 0), pass, 2)
	tampered := bytes.Clone(data)
	tampered[HeaderSize+20] ^= 1
	fail("tampered", "BAD_BACKUP", "ok_records with a bit of its segment flipped", tampered, pass, 2)
	forged := bytes.Clone(data)
	forged[HeaderSize-1] ^= 1
	fail("forged_mac", "BAD_PASSPHRASE", "ok_records with a bit of the header MAC flipped", forged, pass, 2)
	salt := bytes.Clone(data)
	salt[22] ^= 1
	fail("forged_salt", "BAD_PASSPHRASE", "ok_records with a bit of the salt flipped", salt, pass, 2)
	fail("schema_too_new", "SCHEMA_TOO_NEW", "ok_records read by an app of schema 1", data, pass, 1)
	format := bytes.Clone(data)
	format[8] = 2
	fail("format_too_new", "SCHEMA_TOO_NEW", "ok_records with format version 2", format, pass, 2)
	fail("not_a_backup", "BAD_BACKUP", "text", []byte("hello, this is not a backup file; it is just some text of some length."), pass, 2)

	// fuzz seeds: headers, and the entry streams in clear
	for _, name := range []string{"ok_empty", "ok_records", "ok_files"} {
		v := readVector(t, "testdata/"+name+".vector")
		os.WriteFile("testdata/header_"+name+".bin", v.data[:HeaderSize], 0o644)
		os.WriteFile("testdata/entries_"+name+".bin", plainStream(t, v), 0o644)
	}
	_ = time.Now
}

func write(t *testing.T, name string, v *vector) {
	if err := os.WriteFile("testdata/"+name+".vector", v.marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readVector(t *testing.T, path string) *vector {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseVector(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// plainStream is a backup's entry stream in clear.
func plainStream(t *testing.T, v *vector) []byte {
	h, _ := ParseHeader(v.data[:HeaderSize])
	k, err := h.Unlock([]byte(v.passphrase))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(newSegReader(bytes.NewReader(v.data[HeaderSize:]), &k.stream)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
