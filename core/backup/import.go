package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sxweb/sxweb/core/store"
)

// The "import in progress" marker: written (with the database emptied)
// before the first record, deleted after the last file.
const (
	MarkerBucket = store.SystemPrefix + "import"
	markerKey    = "state"
)

// Database is a database as stored (below any at-rest sealing): what
// Import checks, empties and marks.
type Database interface {
	store.Store
	store.Scanner
	store.Resetter
}

// FileWriter stores file bytes in parts (chat.FileStore has this method).
type FileWriter interface {
	WritePart(ctx context.Context, id string, n int, data []byte) error
}

// Target is where Import restores to.
type Target struct {
	DB Database
	// Open is called once the database is emptied and marked: it returns
	// the store the records go to (DB itself, or an at-rest decorator set
	// up anew on it) and where the file bytes go (nil: they are skipped).
	Open func(ctx context.Context) (store.Store, FileWriter, error)
	// Finish, when set, runs after the last record and file and before
	// the marker goes: what the layers above fix in the restored records
	// (chat.AfterRestore) is part of the import.
	Finish func(ctx context.Context, st store.Store, res *Result) error
}

// ImportOptions configures Import.
type ImportOptions struct {
	Schema   int  // the newest records' schema this app reads
	Replace  bool // a database holding an account is replaced (else ErrNotEmpty)
	PartSize int  // file bytes per part (default 4 MiB)
	Batch    int  // records per batch (default 256; also at most ~1 MiB)
}

// Result is what an import restored.
type Result struct {
	Info    Info
	Records int
	Files   []string // the ids of the files whose bytes were restored
}

// Import restores the backup that open returns (it is called twice: each
// call must return the backup from its start) into t with passphrase.
//
// The database must be empty, or hold an import that did not finish,
// unless o.Replace. First the whole backup is read and authenticated,
// nothing written: a wrong passphrase, a damaged or newer backup leaves
// the database as it was. Then one atomic Reset empties it and writes the
// marker; the records follow in batches, the file bytes in parts, and the
// marker goes last. If the import stops in between, the database holds
// the marker: Incomplete says so, and Import may run again.
func Import(ctx context.Context, open func() (io.Reader, error), passphrase []byte, t Target, o ImportOptions) (*Result, error) {
	if o.PartSize <= 0 {
		o.PartSize = 4 << 20
	}
	if o.Batch <= 0 {
		o.Batch = 256
	}
	incomplete, err := Incomplete(ctx, t.DB)
	if err != nil {
		return nil, err
	}
	if !incomplete && !o.Replace {
		empty, err := Empty(ctx, t.DB)
		if err != nil {
			return nil, err
		}
		if !empty {
			return nil, ErrNotEmpty
		}
	}
	src, err := open()
	if err != nil {
		return nil, err
	}
	r, k, err := Open(src, passphrase, o.Schema)
	if err != nil {
		return nil, err
	}
	if err := verify(r); err != nil {
		return nil, err
	}
	var mark store.Batch
	m, _ := json.Marshal(map[string]int64{"started": time.Now().UnixMilli()})
	mark.Put(MarkerBucket, markerKey, m)
	if err := t.DB.Reset(ctx, &mark); err != nil {
		return nil, err
	}
	st, fw, err := t.Open(ctx)
	if err != nil {
		return nil, err
	}
	if src, err = open(); err != nil {
		return nil, err
	}
	if r, err = reopen(src, r.Header(), k); err != nil {
		return nil, err
	}
	res, err := restore(ctx, r, st, fw, o)
	if err != nil {
		return nil, err
	}
	if t.Finish != nil {
		if err := t.Finish(ctx, st, res); err != nil {
			return nil, err
		}
	}
	var done store.Batch
	done.Delete(MarkerBucket, markerKey)
	if err := t.DB.Apply(ctx, &done); err != nil {
		return nil, err
	}
	return res, nil
}

// verify reads a whole backup (discarding it): every segment opens and
// every entry decodes, in order, up to the end entry.
func verify(r *Reader) error {
	for {
		_, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// restore writes a backup's records and files.
func restore(ctx context.Context, r *Reader, st store.Store, fw FileWriter, o ImportOptions) (*Result, error) {
	res := &Result{Info: r.Info()}
	b := &store.Batch{}
	size := 0
	flush := func() error {
		if b.Len() == 0 {
			return nil
		}
		err := st.Apply(ctx, b)
		b, size = &store.Batch{}, 0
		return err
	}
	part := make([]byte, o.PartSize)
	for {
		e, err := r.Next()
		if err == io.EOF {
			return res, flush()
		}
		if err != nil {
			return nil, err
		}
		if e.Record != nil {
			b.Put(e.Record.Bucket, e.Record.Key, e.Record.Value)
			res.Records++
			if size += len(e.Record.Value); b.Len() >= o.Batch || size >= 1<<20 {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		if fw == nil {
			continue
		}
		if err := copyFile(ctx, r, fw, e.FileID, part); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, e.FileID)
	}
}

// copyFile writes the current file of r in parts.
func copyFile(ctx context.Context, r *Reader, fw FileWriter, id string, part []byte) error {
	for n := 0; ; n++ {
		got, err := io.ReadFull(r, part)
		if got > 0 || n == 0 {
			if werr := fw.WritePart(ctx, id, n, part[:got]); werr != nil {
				return werr
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Incomplete reports whether db holds an import that did not finish (the
// marker): such a database is not an account.
func Incomplete(ctx context.Context, db store.Store) (bool, error) {
	_, err := db.Get(ctx, MarkerBucket, markerKey)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Empty reports whether db holds no record outside the system buckets.
func Empty(ctx context.Context, db store.Scanner) (bool, error) {
	var after *store.Pos
	for {
		recs, err := db.Scan(ctx, after, 64)
		if err != nil {
			return false, fmt.Errorf("backup: %w", err)
		}
		for _, r := range recs {
			if !store.IsSystem(r.Bucket) {
				return false, nil
			}
		}
		if len(recs) < 64 {
			return true, nil
		}
		last := recs[len(recs)-1]
		after = &store.Pos{Bucket: last.Bucket, Key: last.Key}
	}
}
