package memstore_test

import (
	"testing"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/core/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
}

func TestScanConformance(t *testing.T) {
	storetest.RunScan(t, func(t *testing.T) store.Store { return memstore.New() })
}

func TestTailConformance(t *testing.T) {
	storetest.RunTail(t, func(t *testing.T) store.Store { return memstore.New() })
}
