//go:build !js

package atrest_test

import (
	"path/filepath"
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/core/store/boltstore"
	"github.com/sxweb/sxweb/core/store/storetest"
)

func TestConformanceBoltstore(t *testing.T) {
	bolt := func(t *testing.T, path string) *boltstore.Store {
		b, err := boltstore.Open(path, boltstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fresh := func(t *testing.T) store.Store {
		s := open(t, bolt(t, filepath.Join(t.TempDir(), "s.db")), atrest.Options{})
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.Run(t, fresh)
	storetest.RunScan(t, fresh)
	storetest.RunTail(t, fresh)
	dir := t.TempDir()
	storetest.RunReopen(t, func(t *testing.T, name string) store.Store {
		return open(t, bolt(t, filepath.Join(dir, name+".db")), atrest.Options{})
	})
}
