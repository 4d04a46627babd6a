//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
)

// Store is a store.Store on one IndexedDB database.
type Store struct {
	mu     sync.Mutex
	db     safejs.Value
	closed bool
	onVC   safejs.Func
}

var _ store.Store = (*Store)(nil)

// Open opens (creating or upgrading) the IndexedDB database name. When
// another tab upgrades or deletes the database later, or the browser closes
// the connection, this Store closes itself and returns store.ErrClosed from
// then on.
func Open(ctx context.Context, name string) (*Store, error) {
	return openAt(ctx, name, SchemaVersion)
}

// openAt opens name at version (older ones for upgrade tests).
func openAt(ctx context.Context, name string, version int) (*Store, error) {
	db, err := openDB(ctx, name, version)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db}
	s.onVC, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		go s.Close() // a newer version wants the database: step aside
		return nil
	})
	if err == nil {
		err = db.Set("onversionchange", s.onVC.Value())
	}
	if err == nil { // the browser closed it (storage cleared, disk error)
		err = db.Set("onclose", s.onVC.Value())
	}
	if err != nil {
		_, _ = db.Call("close")
		return nil, err
	}
	return s, nil
}

func indexedDB() (safejs.Value, error) {
	idb, err := safejs.Global().Get("indexedDB")
	if err != nil || idb.IsUndefined() || idb.IsNull() {
		return safejs.Null(), fmt.Errorf("%w: no indexedDB global", ErrUnavailable)
	}
	return idb, nil
}

func openDB(ctx context.Context, name string, version int) (safejs.Value, error) {
	idb, err := indexedDB()
	if err != nil {
		return idb, err
	}
	req, err := idb.Call("open", name, version)
	if err != nil {
		return safejs.Null(), fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var h handlers
	defer h.release()
	var upErr error
	err = h.on(req, "onupgradeneeded", func(_ safejs.Value, args []safejs.Value) {
		old := 0
		if len(args) > 0 {
			if v, err := args[0].Get("oldVersion"); err == nil {
				old, _ = v.Int()
			}
		}
		db, _ := req.Get("result")
		tx, _ := req.Get("transaction")
		if upErr = upgrade(db, tx, old, version); upErr != nil {
			_, _ = tx.Call("abort")
		}
	})
	if err != nil {
		return safejs.Null(), err
	}
	res, err := awaitRequests(ctx, "open", req)
	if err != nil {
		var te *TxError
		switch {
		case upErr != nil:
			return safejs.Null(), fmt.Errorf("%w: upgrade: %v", ErrUnavailable, upErr)
		case errors.As(err, &te) && te.Name == "VersionError":
			return safejs.Null(), ErrSchemaTooNew
		case errors.As(err, &te):
			return safejs.Null(), fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		return safejs.Null(), err
	}
	return res[0], nil
}

// DeleteDatabase removes the database name and everything in it. Open
// stores on it get a versionchange event and close themselves.
func DeleteDatabase(ctx context.Context, name string) error {
	idb, err := indexedDB()
	if err != nil {
		return err
	}
	req, err := idb.Call("deleteDatabase", name)
	if err != nil {
		return err
	}
	_, err = awaitRequests(ctx, "delete", req)
	return err
}

// handle returns the open database or store.ErrClosed.
func (s *Store) handle() (safejs.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return safejs.Null(), store.ErrClosed
	}
	return s.db, nil
}

func (s *Store) tx(mode string) (tx, kv safejs.Value, err error) {
	db, err := s.handle()
	if err != nil {
		return tx, kv, err
	}
	tx, err = db.Call("transaction", kvStore, mode)
	if err != nil {
		return tx, kv, fmt.Errorf("idbstore: transaction: %w", err)
	}
	kv, err = tx.Call("objectStore", kvStore)
	return tx, kv, err
}

func dbKey(bucket, key string) []any { return []any{encodeKey(bucket), encodeKey(key)} }

// Close closes the database; later calls return store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	_ = s.db.Set("onversionchange", nil)
	_ = s.db.Set("onclose", nil)
	s.onVC.Release()
	_, err := s.db.Call("close")
	return err
}
