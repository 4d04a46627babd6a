package backup

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
)

func TestNotEmpty(t *testing.T) {
	src := memstore.New()
	fill(t, src, 5, 10)
	b := export(t, src, nil)
	dst := memstore.New()
	fill(t, dst, 1, 10)
	if _, err := importBytes(b, pass, target(dst, nil), ImportOptions{}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("into a database with an account: %v", err)
	}
	// system records alone are no account
	sys := memstore.New()
	var sb store.Batch
	sb.Put(store.SystemPrefix+"atrest", "header", []byte("{}"))
	sys.Apply(ctx, &sb)
	if _, err := importBytes(b, pass, target(sys, nil), ImportOptions{}); err != nil {
		t.Fatalf("into a database with only system records: %v", err)
	}
}

func TestReplace(t *testing.T) {
	src := memstore.New()
	fill(t, src, 50, 10)
	b := export(t, src, nil)
	dst := memstore.New()
	fill(t, dst, 400, 7)
	if _, err := importBytes(b, pass, target(dst, nil), ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	sameRecords(t, records(t, dst), records(t, src))
}

// A backup that does not verify (wrong passphrase, damaged at its very
// end, newer) leaves the database it would replace as it was.
func TestReplaceKeepsOldOnFailure(t *testing.T) {
	src := memstore.New()
	fill(t, src, 300, 500)
	b := export(t, src, nil)
	damaged := bytes.Clone(b)
	damaged[len(damaged)-1] ^= 1
	dst := memstore.New()
	fill(t, dst, 100, 9)
	before := records(t, dst)
	for name, c := range map[string]struct {
		data   []byte
		pass   string
		schema int
		want   error
	}{
		"wrong passphrase": {b, "nope", 2, ErrBadPassphrase},
		"damaged end":      {damaged, pass, 2, ErrBadBackup},
		"truncated":        {b[:len(b)-segSealed/2], pass, 2, ErrBadBackup},
		"newer":            {b, pass, 1, ErrSchemaTooNew},
	} {
		if _, err := importBytes(c.data, c.pass, target(dst, nil), ImportOptions{Replace: true, Schema: c.schema}); !errors.Is(err, c.want) {
			t.Fatalf("%s: %v, want %v", name, err, c.want)
		}
		sameRecords(t, records(t, dst), before)
		if inc, _ := Incomplete(ctx, dst); inc {
			t.Fatalf("%s: marked", name)
		}
	}
}

// failAfter lets ok Applies through, then fails every write: the app
// stopping in the middle of an import.
type failAfter struct {
	*memstore.Store
	ok int
}

var errStop = errors.New("the tab was closed")

func (f *failAfter) Apply(ctx context.Context, b *store.Batch) error {
	if f.ok == 0 {
		return errStop
	}
	f.ok--
	return f.Store.Apply(ctx, b)
}

// The import stops after any batch: the database holds the marker (it is
// no account), and the import runs again into it without Replace.
func TestCrashDuringImport(t *testing.T) {
	src := memstore.New()
	fill(t, src, 2000, 100)
	b := export(t, src, nil)
	for ok := 0; ; ok++ {
		db := memstore.New()
		fill(t, db, 20, 5) // an account replaced
		f := &failAfter{db, ok}
		_, err := importBytes(b, pass, Target{DB: db, Open: func(context.Context) (store.Store, FileWriter, error) { return f, nil, nil }},
			ImportOptions{Replace: true, Batch: 128})
		if err == nil {
			break
		}
		if !errors.Is(err, errStop) {
			t.Fatalf("stop after %d batches: %v", ok, err)
		}
		if inc, err := Incomplete(ctx, db); !inc || err != nil {
			t.Fatalf("stop after %d batches: no marker (%v)", ok, err)
		}
		if _, err := importBytes(b, pass, target(db, nil), ImportOptions{}); err != nil {
			t.Fatalf("import again after a stop after %d batches: %v", ok, err)
		}
		sameRecords(t, records(t, db), records(t, src))
	}
}

// The marker goes last: a failure to remove it leaves it.
func TestMarkerLast(t *testing.T) {
	src := memstore.New()
	fill(t, src, 10, 10)
	b := export(t, src, nil)
	db := memstore.New()
	tg := Target{DB: &failAfter{db, 0}, Open: func(context.Context) (store.Store, FileWriter, error) { return db, nil, nil }}
	if _, err := importBytes(b, pass, tg, ImportOptions{}); !errors.Is(err, errStop) {
		t.Fatalf("import: %v", err)
	}
	if inc, _ := Incomplete(ctx, db); !inc {
		t.Fatal("no marker")
	}
	sameRecords(t, records(t, db), records(t, src))
}
