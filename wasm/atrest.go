//go:build js && wasm

package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/backup"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// Encryption at rest in the browser (docs/backup-and-storage.md): the
// database's values and file parts are sealed in Go (core/store/atrest)
// under a data key that is kept wrapped by a non-extractable WebCrypto
// AES-GCM key stored in the database's "keys" object store, or by a
// passphrase. One WebCrypto call at start unwraps it.

// Codes of start() and setPassphrase for the at-rest layer.
const (
	CodeBadPassphrase      = "BAD_PASSPHRASE"
	CodePassphraseRequired = "PASSPHRASE_REQUIRED"
	CodeDamaged            = "DAMAGED"
)

// passphraseCost is the Argon2id cost of new passphrases and backups
// (zero: kdf's defaults, about a second; tests make it cheap).
var passphraseCost kdf.Params

// deviceKeyName is the CryptoKey's key in the "keys" object store.
const deviceKeyName = "atrest"

// deviceKeyAD binds the wrapped data key to its use.
const deviceKeyAD = "sxweb/atrest/device/v1"

// deviceKey is the atrest.Wrapper of the browser: AES-GCM with a
// non-extractable CryptoKey, made at the database's first start.
type deviceKey struct{ st *idbstore.Store }

var subtle = func() safejs.Value {
	c, err := safejs.Global().Get("crypto")
	if err != nil || c.Type() != safejs.TypeObject {
		return safejs.Undefined()
	}
	s, _ := c.Get("subtle")
	return s
}()

func (d deviceKey) key(ctx context.Context, create bool) (safejs.Value, error) {
	if subtle.Type() != safejs.TypeObject {
		return safejs.Undefined(), errors.New("no WebCrypto (crypto.subtle) here: a secure context is needed")
	}
	k, err := d.st.LoadKey(ctx, deviceKeyName)
	if err != nil {
		return k, err
	}
	if k.Type() == safejs.TypeObject {
		return k, nil
	}
	if !create {
		return k, fmt.Errorf("%w: the device key is not in the database", atrest.ErrKeyUnavailable)
	}
	p, err := subtle.Call("generateKey", map[string]any{"name": "AES-GCM", "length": 256}, false, []any{"encrypt", "decrypt"})
	if err != nil {
		return k, err
	}
	if k, err = bridge.Await(ctx, p); err != nil {
		return k, err
	}
	return k, d.st.SaveKey(ctx, deviceKeyName, k)
}

func (d deviceKey) aesGCM(ctx context.Context, op string, k safejs.Value, iv, data []byte) ([]byte, error) {
	params := map[string]any{"name": "AES-GCM", "iv": toUint8(iv), "additionalData": toUint8([]byte(deviceKeyAD))}
	p, err := subtle.Call(op, params, k, toUint8(data))
	if err != nil {
		return nil, err
	}
	buf, err := bridge.Await(ctx, p)
	if err != nil {
		return nil, err
	}
	return fromArrayBuffer(buf)
}

// Wrap implements atrest.Wrapper: iv (12 bytes) and AES-GCM of dataKey.
func (d deviceKey) Wrap(ctx context.Context, dataKey []byte) ([]byte, error) {
	k, err := d.key(ctx, true)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, 12)
	rand.Read(iv)
	ct, err := d.aesGCM(ctx, "encrypt", k, iv, dataKey)
	if err != nil {
		return nil, err
	}
	return append(iv, ct...), nil
}

// Unwrap implements atrest.Wrapper.
func (d deviceKey) Unwrap(ctx context.Context, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 12+16 {
		return nil, atrest.ErrKeyUnavailable
	}
	k, err := d.key(ctx, false)
	if err != nil {
		return nil, err
	}
	dk, err := d.aesGCM(ctx, "decrypt", k, wrapped[:12], wrapped[12:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", atrest.ErrKeyUnavailable, err)
	}
	return dk, nil
}

var uint8Array = safejs.MustGetGlobal("Uint8Array")

func toUint8(b []byte) safejs.Value {
	arr, _ := uint8Array.New(len(b))
	_, _ = safejs.CopyBytesToJS(arr, b)
	return arr
}

func fromArrayBuffer(buf safejs.Value) ([]byte, error) {
	arr, err := uint8Array.New(buf)
	if err != nil {
		return nil, err
	}
	n, err := arr.Length()
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	_, err = safejs.CopyBytesToGo(out, arr)
	return out, err
}

// db is an opened database: the store the core uses (values sealed), the
// store below it, and the file bytes.
type db struct {
	st    *atrest.Store
	raw   *idbstore.Store
	files *idbstore.Files
}

// Close closes the database.
func (d *db) Close() error { return d.st.Close() }

// openDB opens the database of opts: a database an import left
// unfinished is refused (DAMAGED); the data key is unwrapped (or made);
// an older database is sealed in place first, its file parts too.
func openDB(ctx context.Context, opts Options) (*db, error) {
	raw, err := idbstore.Open(ctx, opts.DB)
	if err != nil {
		return nil, bridge.Errorf(storeOpenCode(err), "open %q: %v", opts.DB, err)
	}
	d, err := unlockDB(ctx, raw, opts)
	if err != nil {
		raw.Close()
		return nil, err
	}
	return d, nil
}

func unlockDB(ctx context.Context, raw *idbstore.Store, opts Options) (*db, error) {
	if inc, err := backup.Incomplete(ctx, raw); err != nil || inc {
		if err != nil {
			return nil, err
		}
		return nil, bridge.Errorf(CodeDamaged, "database %q: an import into it did not finish: import the backup again (replace)", opts.DB)
	}
	st, err := atrest.Open(ctx, raw, atrest.Options{Device: deviceKey{raw}, Passphrase: []byte(opts.Passphrase), Plain: !opts.AtRest, Cost: passphraseCost})
	if err != nil {
		return nil, atRestError(err)
	}
	d := &db{st: st, raw: raw, files: raw.Files()}
	if st.Sealed() {
		d.files = raw.SealedFiles(st)
	}
	if st.FilesPending() {
		if err := d.files.SealAll(ctx); err != nil {
			return nil, err
		}
		if err := st.FilesSealed(ctx); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// atRestError gives the at-rest layer's errors their codes.
func atRestError(err error) error {
	switch {
	case errors.Is(err, atrest.ErrBadPassphrase):
		return bridge.Errorf(CodeBadPassphrase, "%v", err)
	case errors.Is(err, atrest.ErrPassphraseRequired):
		return bridge.Errorf(CodePassphraseRequired, "%v", err)
	case errors.Is(err, atrest.ErrKeyUnavailable), errors.Is(err, atrest.ErrHeader):
		return bridge.Errorf(CodeDamaged, "the database cannot be read: %v: restore it from a backup", err)
	case errors.Is(err, atrest.ErrPlain):
		return bridge.Errorf(chat.CodeNotAllowed, "%v", err)
	}
	return err
}
