package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

var ctx = context.Background()

// cheap is the Argon2id cost of test backups.
var cheap = kdf.Params{Time: 1, MemoryKiB: kdf.MinMemoryKiB, Threads: 1}

const pass = "correct horse battery staple"

// memFiles is an in-memory FileReader and FileWriter.
type memFiles map[string][][]byte

func (m memFiles) WritePart(_ context.Context, id string, n int, data []byte) error {
	parts := m[id]
	for len(parts) <= n {
		parts = append(parts, nil)
	}
	parts[n] = bytes.Clone(data)
	m[id] = parts
	return nil
}

func (m memFiles) bytes(id string) []byte { return bytes.Join(m[id], nil) }

func (m memFiles) ReadAt(_ context.Context, id string, p []byte, off int64) (int, error) {
	b := m.bytes(id)
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// fill writes n records of about size value bytes over three buckets (and
// a system record, which a backup leaves out).
func fill(t *testing.T, st store.Store, n, size int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), uint64(size)))
	b := &store.Batch{}
	for i := range n {
		v := make([]byte, size+rng.IntN(3))
		for j := range v {
			v[j] = byte(rng.Uint32())
		}
		b.Put([]string{"a.conn", "c.msg", "c.group"}[i%3], fmt.Sprintf("k%06d", i), v)
		if b.Len() == 500 {
			if err := st.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			b = &store.Batch{}
		}
	}
	b.Put(store.SystemPrefix+"x", "sys", []byte("not exported"))
	if err := st.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
}

// export writes a backup of st (and of files, when given) to a buffer.
func export(t *testing.T, st store.Scanner, files memFiles) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, []byte(pass), WriterOptions{Schema: 2, Files: files != nil, Cost: cheap, Created: time.UnixMilli(1700000000000)})
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Records: st, Data: files}
	for id, parts := range files {
		src.Files = append(src.Files, File{ID: id, Size: int64(len(bytes.Join(parts, nil)))})
	}
	if err := Export(ctx, w, src); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// records are the records of st outside the system buckets.
func records(t *testing.T, st store.Scanner) []store.Record {
	t.Helper()
	all, err := st.Scan(ctx, nil, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Record
	for _, r := range all {
		if !store.IsSystem(r.Bucket) {
			out = append(out, r)
		}
	}
	return out
}

func sameRecords(t *testing.T, got, want []store.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Bucket != want[i].Bucket || got[i].Key != want[i].Key || !bytes.Equal(got[i].Value, want[i].Value) {
			t.Fatalf("record %d: %q/%q, want %q/%q", i, got[i].Bucket, got[i].Key, want[i].Bucket, want[i].Key)
		}
	}
}

func target(db *memstore.Store, files memFiles) Target {
	return Target{DB: db, Open: func(context.Context) (store.Store, FileWriter, error) {
		if files == nil {
			return db, nil, nil
		}
		return db, files, nil
	}}
}

func importBytes(b []byte, passphrase string, tg Target, o ImportOptions) (*Result, error) {
	if o.Schema == 0 {
		o.Schema = 2
	}
	return Import(ctx, func() (io.Reader, error) { return bytes.NewReader(b), nil }, []byte(passphrase), tg, o)
}

// Round trips at the sizes where segments and entries meet: no record,
// one, records ending exactly at a segment's end and one byte either side,
// values larger than a segment, files of 0, 1, a segment, a part and more.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name    string
		n, size int
		files   []int
	}{
		{"empty", 0, 0, nil},
		{"one", 1, 10, nil},
		{"small", 30, 100, nil},
		{"segment", 300, segPlain / 300, nil},
		{"large values", 7, 3 * segPlain, nil},
		{"many", 3000, 200, nil},
		{"files", 10, 50, []int{0, 1, segPlain - 1, segPlain, segPlain + 1, 4<<20 + 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := memstore.New()
			fill(t, src, c.n, c.size)
			var files memFiles
			if c.files != nil {
				files = memFiles{}
				for i, size := range c.files {
					data := make([]byte, size)
					for j := range data {
						data[j] = byte(i*31 + j)
					}
					files.WritePart(ctx, fmt.Sprintf("file-%d", i), 0, data)
				}
			}
			b := export(t, src, files)
			dst, got := memstore.New(), memFiles{}
			res, err := importBytes(b, pass, target(dst, got), ImportOptions{PartSize: 1 << 20})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			sameRecords(t, records(t, dst), records(t, src))
			if res.Records != c.n || len(res.Files) != len(c.files) || !res.Info.Created.Equal(time.UnixMilli(1700000000000)) {
				t.Fatalf("result %+v", res)
			}
			for id := range files {
				if !bytes.Equal(got.bytes(id), files.bytes(id)) {
					t.Fatalf("file %s: %d bytes back, want %d", id, len(got.bytes(id)), len(files.bytes(id)))
				}
			}
			if inc, _ := Incomplete(ctx, dst); inc {
				t.Fatal("the marker is left")
			}
		})
	}
}

func TestWrongPassphrase(t *testing.T) {
	src := memstore.New()
	fill(t, src, 10, 10)
	b := export(t, src, nil)
	for _, p := range []string{"", "wrong", pass + " "} {
		if _, err := importBytes(b, p, target(memstore.New(), nil), ImportOptions{}); !errors.Is(err, ErrBadPassphrase) {
			t.Errorf("passphrase %q: %v, want BAD_PASSPHRASE", p, err)
		}
	}
	if _, err := NewWriter(io.Discard, nil, WriterOptions{Cost: cheap}); !errors.Is(err, ErrBadPassphrase) {
		t.Fatalf("a backup without passphrase: %v", err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	src := memstore.New()
	fill(t, src, 3, 10)
	b := export(t, src, nil)
	if _, err := importBytes(b, pass, target(memstore.New(), nil), ImportOptions{Schema: 1}); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("a backup of schema 2 into an app of schema 1: %v", err)
	}
	newer := bytes.Clone(b)
	newer[8] = FormatVersion + 1
	if _, err := importBytes(newer, pass, target(memstore.New(), nil), ImportOptions{}); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("a newer format: %v", err)
	}
	var e *Error
	if err := fmt.Errorf("wrapped: %w", ErrSchemaTooNew); !errors.As(err, &e) || e.ErrorCode() != "SCHEMA_TOO_NEW" {
		t.Fatal("the code does not come through")
	}
}
