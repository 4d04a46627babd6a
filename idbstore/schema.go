//go:build js && wasm

package idbstore

import (
	"fmt"

	"github.com/hack-pad/safejs"
)

// SchemaVersion is the IndexedDB version this package opens with.
//
// Version 3 added the object store "keys" (CryptoKeys, keys.go) and, with
// it, marks a database whose kv values the app seals at rest
// (core/store/atrest): an app that knows only version 2 would read sealed
// values as records, and the version bump makes it refuse the database
// (SCHEMA_TOO_NEW) instead. The data of a version-2 database is sealed
// after the upgrade, by the app, resumably (not in upgradeneeded, which
// cannot wait for anything).
const SchemaVersion = 3

// kvStore is the one object store: out-of-line keys [bucket, key].
const kvStore = "kv"

// upgrades[v] turns a database of version v-1 into version v. It runs
// inside the versionchange transaction and must not wait for anything.
var upgrades = [SchemaVersion + 1]func(db, tx safejs.Value) error{
	1: func(db, _ safejs.Value) error {
		_, err := db.Call("createObjectStore", kvStore)
		return err
	},
	2: func(db, _ safejs.Value) error { // file bytes (files.go)
		_, err := db.Call("createObjectStore", filesStore)
		return err
	},
	3: func(db, _ safejs.Value) error { // CryptoKeys (keys.go)
		_, err := db.Call("createObjectStore", keysStore)
		return err
	},
}

// upgrade runs the steps from oldVersion+1 to version.
func upgrade(db, tx safejs.Value, oldVersion, version int) error {
	for v := oldVersion + 1; v <= version; v++ {
		if err := upgrades[v](db, tx); err != nil {
			return fmt.Errorf("to version %d: %w", v, err)
		}
	}
	return nil
}
