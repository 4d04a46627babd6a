//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"
)

// keysStore holds JS values the kv store cannot: CryptoKey objects (the
// at-rest wrapping key), which IndexedDB stores by structured clone
// (non-extractable ones too: they cannot be exported through WebCrypto,
// but the browser writes their material into its files; see
// docs/backup-and-storage.md). Out-of-line string keys.
const keysStore = "keys"

// LoadKey returns the value stored under name in "keys" (undefined when
// there is none).
func (s *Store) LoadKey(ctx context.Context, name string) (safejs.Value, error) {
	db, err := s.handle()
	if err != nil {
		return safejs.Undefined(), err
	}
	tx, err := db.Call("transaction", keysStore, "readonly")
	if err != nil {
		return safejs.Undefined(), fmt.Errorf("idbstore: keys: %w", err)
	}
	os, err := tx.Call("objectStore", keysStore)
	if err != nil {
		return safejs.Undefined(), err
	}
	req, err := os.Call("get", name)
	if err != nil {
		return safejs.Undefined(), fmt.Errorf("idbstore: keys: %w", err)
	}
	res, err := awaitRequests(ctx, "keys get", req)
	if err != nil {
		return safejs.Undefined(), err
	}
	return res[0], nil
}

// SaveKey stores v under name in "keys", in a transaction of its own.
func (s *Store) SaveKey(ctx context.Context, name string, v safejs.Value) error {
	db, err := s.handle()
	if err != nil {
		return err
	}
	tx, err := db.Call("transaction", keysStore, "readwrite")
	if err != nil {
		return fmt.Errorf("idbstore: keys: %w", err)
	}
	w, err := watchTx(tx)
	if err != nil {
		_, _ = tx.Call("abort")
		return err
	}
	os, cause := tx.Call("objectStore", keysStore)
	if cause == nil {
		_, cause = os.Call("put", v, name)
	}
	if cause != nil {
		w.abort()
	}
	return w.wait(ctx, "keys put", cause)
}
