package atrest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/core/store/storetest"
)

var ctx = context.Background()

// cheap is a passphrase cost for tests.
var cheap = kdf.Params{Time: 1, MemoryKiB: kdf.MinMemoryKiB, Threads: 1}

func device(t *testing.T, b byte) atrest.Wrapper {
	t.Helper()
	w, err := atrest.KeyWrapper(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func open(t *testing.T, inner atrest.Inner, o atrest.Options) *atrest.Store {
	t.Helper()
	if o.Device == nil {
		o.Device = device(t, 1)
	}
	o.Cost = cheap
	s, err := atrest.Open(ctx, inner, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func put(t *testing.T, s store.Store, bucket, key, value string) {
	t.Helper()
	var b store.Batch
	b.Put(bucket, key, []byte(value))
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func get(t *testing.T, s store.Store, bucket, key string) string {
	t.Helper()
	v, err := s.Get(ctx, bucket, key)
	if err != nil {
		t.Fatalf("Get %s/%s: %v", bucket, key, err)
	}
	return string(v)
}

func TestConformanceMemstore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, memstore.New(), atrest.Options{}) })
	storetest.RunScan(t, func(t *testing.T) store.Store { return open(t, memstore.New(), atrest.Options{}) })
	storetest.RunTail(t, func(t *testing.T) store.Store { return open(t, memstore.New(), atrest.Options{}) })
}

// Values are sealed in the inner store; keys and bucket names are not.
func TestSealedBelow(t *testing.T) {
	inner := memstore.New()
	s := open(t, inner, atrest.Options{})
	put(t, s, "c.msg", "g1/0001", "meet me at noon")
	raw, err := inner.Get(ctx, "c.msg", "g1/0001")
	if err != nil {
		t.Fatalf("the key is not in clear below: %v", err)
	}
	if bytes.Contains(raw, []byte("noon")) || len(raw) != len("meet me at noon")+atrest.Overhead {
		t.Fatalf("raw value %q", raw)
	}
	if get(t, s, "c.msg", "g1/0001") != "meet me at noon" {
		t.Fatal("round trip")
	}
	if s.Mode() != atrest.ModeDevice {
		t.Fatalf("mode %q", s.Mode())
	}
}

// A sealed value copied to another key or bucket, or altered, does not open.
func TestBoundToKey(t *testing.T) {
	inner := memstore.New()
	s := open(t, inner, atrest.Options{})
	put(t, s, "c.msg", "a", "secret a")
	put(t, s, "c.msg", "b", "secret b")
	raw, _ := inner.Get(ctx, "c.msg", "a")
	for _, to := range [][2]string{{"c.msg", "b"}, {"c.msg", "a2"}, {"c.msh", "a"}} {
		var b store.Batch
		b.Put(to[0], to[1], raw)
		inner.Apply(ctx, &b)
		if _, err := s.Get(ctx, to[0], to[1]); !errors.Is(err, atrest.ErrCorrupt) {
			t.Errorf("value of c.msg/a read at %s/%s: %v", to[0], to[1], err)
		}
	}
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 1
		var b store.Batch
		b.Put("c.msg", "a", bad)
		inner.Apply(ctx, &b)
		if _, err := s.Get(ctx, "c.msg", "a"); !errors.Is(err, atrest.ErrCorrupt) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	if _, err := s.List(ctx, "c.msg", ""); !errors.Is(err, atrest.ErrCorrupt) {
		t.Fatalf("List over a damaged value: %v", err)
	}
}

func TestHeaderHidden(t *testing.T) {
	s := open(t, memstore.New(), atrest.Options{})
	if _, err := s.Get(ctx, atrest.Bucket, "header"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of the header: %v", err)
	}
	var b store.Batch
	b.Put(atrest.Bucket, "header", []byte("{}"))
	if err := s.Apply(ctx, &b); !errors.Is(err, atrest.ErrReserved) {
		t.Fatalf("a write to the header: %v", err)
	}
	if err := s.Reset(ctx, &b); !errors.Is(err, atrest.ErrReserved) {
		t.Fatalf("a Reset writing the header: %v", err)
	}
}

func TestPassphrase(t *testing.T) {
	inner := memstore.New()
	s := open(t, inner, atrest.Options{Passphrase: []byte("correct horse")})
	put(t, s, "c.msg", "k", "hello")
	if s.Mode() != atrest.ModePassphrase {
		t.Fatalf("mode %q", s.Mode())
	}
	for _, c := range []struct {
		pass string
		want error
	}{{"", atrest.ErrPassphraseRequired}, {"wrong", atrest.ErrBadPassphrase}} {
		if _, err := atrest.Open(ctx, inner, atrest.Options{Device: device(t, 1), Passphrase: []byte(c.pass)}); !errors.Is(err, c.want) {
			t.Errorf("Open with %q: %v, want %v", c.pass, err, c.want)
		}
	}
	s = open(t, inner, atrest.Options{Passphrase: []byte("correct horse")})
	if get(t, s, "c.msg", "k") != "hello" {
		t.Fatal("after reopen")
	}
	// a device-key database given a passphrase says so
	dev := memstore.New()
	open(t, dev, atrest.Options{})
	if _, err := atrest.Open(ctx, dev, atrest.Options{Device: device(t, 1), Passphrase: []byte("x")}); !errors.Is(err, atrest.ErrBadPassphrase) {
		t.Fatalf("a passphrase for a device-key database: %v", err)
	}
}

func TestSetPassphrase(t *testing.T) {
	inner := memstore.New()
	s := open(t, inner, atrest.Options{})
	put(t, s, "c.msg", "k", "v")
	steps := []struct{ old, new, err string }{
		{"x", "p1", "bad"},   // none is set
		{"", "p1", ""},       // device → p1
		{"", "p2", "needed"}, // the current one is needed
		{"p2", "p2", "bad"},
		{"p1", "p2", ""},
		{"p2", "", ""}, // back to the device key
	}
	for i, st := range steps {
		err := s.SetPassphrase(ctx, []byte(st.old), []byte(st.new))
		switch st.err {
		case "bad":
			if !errors.Is(err, atrest.ErrBadPassphrase) {
				t.Fatalf("step %d: %v, want ErrBadPassphrase", i, err)
			}
			continue
		case "needed":
			if !errors.Is(err, atrest.ErrPassphraseRequired) {
				t.Fatalf("step %d: %v, want ErrPassphraseRequired", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		re := open(t, inner, atrest.Options{Passphrase: []byte(st.new)})
		if get(t, re, "c.msg", "k") != "v" {
			t.Fatalf("step %d: the data after reopen", i)
		}
	}
}

func TestDeviceKeyLost(t *testing.T) {
	inner := memstore.New()
	open(t, inner, atrest.Options{})
	if _, err := atrest.Open(ctx, inner, atrest.Options{Device: device(t, 2)}); !errors.Is(err, atrest.ErrKeyUnavailable) {
		t.Fatalf("another device key: %v", err)
	}
	if _, err := atrest.Open(ctx, inner, atrest.Options{}); !errors.Is(err, atrest.ErrKeyUnavailable) {
		t.Fatalf("no device key: %v", err)
	}
	var b store.Batch
	b.Put(atrest.Bucket, "header", []byte("{not json"))
	inner.Apply(ctx, &b)
	if _, err := atrest.Open(ctx, inner, atrest.Options{Device: device(t, 1)}); !errors.Is(err, atrest.ErrHeader) {
		t.Fatalf("a damaged header: %v", err)
	}
}

func TestParts(t *testing.T) {
	s := open(t, memstore.New(), atrest.Options{})
	sealed := s.SealPart("file-1", 3, []byte("part bytes"))
	if bytes.Contains(sealed, []byte("part")) {
		t.Fatal("part in clear")
	}
	if p, err := s.OpenPart("file-1", 3, sealed); err != nil || string(p) != "part bytes" {
		t.Fatalf("OpenPart = %q, %v", p, err)
	}
	for _, c := range []struct {
		id string
		n  int
	}{{"file-1", 2}, {"file-2", 3}} {
		if _, err := s.OpenPart(c.id, c.n, sealed); !errors.Is(err, atrest.ErrCorrupt) {
			t.Errorf("part 3 of file-1 opened as %d of %s: %v", c.n, c.id, err)
		}
	}
}

func TestPlain(t *testing.T) {
	inner := memstore.New()
	s := open(t, inner, atrest.Options{Plain: true})
	put(t, s, "c.msg", "k", "in clear")
	if raw, _ := inner.Get(ctx, "c.msg", "k"); string(raw) != "in clear" || s.Sealed() {
		t.Fatalf("raw %q", raw)
	}
	if err := s.SetPassphrase(ctx, nil, []byte("p")); !errors.Is(err, atrest.ErrPlain) {
		t.Fatalf("SetPassphrase on a plain database: %v", err)
	}
	s = open(t, inner, atrest.Options{}) // stays plain
	if s.Mode() != atrest.ModeNone || get(t, s, "c.msg", "k") != "in clear" {
		t.Fatal("a plain database reopened")
	}
}

// legacy fills a store the way an app before this package did.
func legacy(n int) (*memstore.Store, map[string]string) {
	inner := memstore.New()
	want := map[string]string{}
	var b store.Batch
	for i := range n {
		bucket := []string{"a.conn", "c.msg", "c.group"}[i%3]
		k, v := fmt.Sprintf("%06d", i), fmt.Sprintf("value %d", i)
		b.Put(bucket, k, []byte(v))
		want[bucket+"/"+k] = v
	}
	b.Put("!import", "x", []byte("system, stays in clear"))
	inner.Apply(ctx, &b)
	return inner, want
}

func checkAll(t *testing.T, s *atrest.Store, inner store.Store, want map[string]string) {
	t.Helper()
	recs, err := s.Scan(ctx, nil, 100000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if store.IsSystem(r.Bucket) {
			continue
		}
		n++
		if want[r.Bucket+"/"+r.Key] != string(r.Value) {
			t.Fatalf("%s/%s = %q", r.Bucket, r.Key, r.Value)
		}
		raw, _ := inner.Get(ctx, r.Bucket, r.Key)
		if bytes.Contains(raw, []byte("value")) {
			t.Fatalf("%s/%s still in clear", r.Bucket, r.Key)
		}
	}
	if n != len(want) {
		t.Fatalf("%d records, want %d", n, len(want))
	}
	if v, _ := s.Get(ctx, "!import", "x"); string(v) != "system, stays in clear" {
		t.Fatalf("system record %q", v)
	}
}

func TestMigrate(t *testing.T) {
	inner, want := legacy(1000)
	s := open(t, inner, atrest.Options{Page: 64})
	checkAll(t, s, inner, want)
	if !s.FilesPending() {
		t.Fatal("a migrated database has its files pending")
	}
	if err := s.FilesSealed(ctx); err != nil {
		t.Fatal(err)
	}
	if open(t, inner, atrest.Options{}).FilesPending() {
		t.Fatal("FilesSealed was not kept")
	}
	if open(t, memstore.New(), atrest.Options{}).FilesPending() {
		t.Fatal("a new database has no files to seal")
	}
}

// failing fails every Apply after the first ok ones: a crash midway.
type failing struct {
	*memstore.Store
	ok int
}

var errCrash = errors.New("crash")

func (f *failing) Apply(ctx context.Context, b *store.Batch) error {
	if f.ok == 0 {
		return errCrash
	}
	f.ok--
	return f.Store.Apply(ctx, b)
}

// The app stops after any batch of the migration: the next start finishes
// it and every value is there, sealed once.
func TestMigrateCrash(t *testing.T) {
	for ok := 0; ; ok++ {
		inner, want := legacy(1000)
		_, err := atrest.Open(ctx, &failing{inner, ok}, atrest.Options{Device: device(t, 1), Page: 64})
		if err == nil {
			if ok != 17 { // the header, then 16 pages
				t.Fatalf("the migration took %d batches", ok)
			}
			break
		}
		if !errors.Is(err, errCrash) {
			t.Fatalf("crash after %d batches: Open = %v", ok, err)
		}
		s := open(t, inner, atrest.Options{Page: 64})
		checkAll(t, s, inner, want)
	}
}

// BenchmarkSealOpen: one 300-byte value (a message record) sealed and
// opened; under GOOS=js in Chromium, the per-value cost in wasm.
func BenchmarkSealOpen(b *testing.B) {
	w, _ := atrest.KeyWrapper(make([]byte, 32))
	s, err := atrest.Open(ctx, memstore.New(), atrest.Options{Device: w})
	if err != nil {
		b.Fatal(err)
	}
	v := bytes.Repeat([]byte("m"), 300)
	b.SetBytes(300)
	for b.Loop() {
		var batch store.Batch
		batch.Put("c.msg", "g1/0000000000000001", v)
		if err := s.Apply(ctx, &batch); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Get(ctx, "c.msg", "g1/0000000000000001"); err != nil {
			b.Fatal(err)
		}
	}
}
