package atrest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
)

// Bucket holds the header; the decorator hides it from its users.
const Bucket = store.SystemPrefix + "atrest"

const headerKey = "header"

// Mode is how the data key is kept.
type Mode string

const (
	// ModeDevice: wrapped by the device key (Options.Device).
	ModeDevice Mode = "device"
	// ModePassphrase: wrapped by a key derived from a passphrase.
	ModePassphrase Mode = "passphrase"
	// ModeNone: values in clear (Options.Plain; benchmarks and tests).
	ModeNone Mode = "none"
)

// header is the record (JSON) that says how the database is kept.
type header struct {
	V       int         `json:"v"`
	Mode    Mode        `json:"mode"`
	Wrapped []byte      `json:"wrapped,omitempty"` // the data key, wrapped
	KDF     *kdf.Params `json:"kdf,omitempty"`     // ModePassphrase
	// Migrating: the values after Done are still in clear (Open goes on
	// sealing them from there; nil: from the first record).
	Migrating bool       `json:"migrating,omitempty"`
	Done      *store.Pos `json:"done,omitempty"`
	// FilesPending: the database was sealed in place and its file bytes
	// (outside the store) are not confirmed sealed yet (FilesSealed).
	FilesPending bool `json:"filesPending,omitempty"`
}

const headerVersion = 1

func readHeader(ctx context.Context, st store.Store) (*header, error) {
	b, err := st.Get(ctx, Bucket, headerKey)
	if err == store.ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var h header
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHeader, err)
	}
	switch {
	case h.V != headerVersion:
		return nil, fmt.Errorf("%w: version %d", ErrHeader, h.V)
	case h.Mode != ModeNone && len(h.Wrapped) == 0:
		return nil, fmt.Errorf("%w: no wrapped key", ErrHeader)
	case h.Mode == ModePassphrase && h.KDF == nil:
		return nil, fmt.Errorf("%w: no KDF parameters", ErrHeader)
	case h.Mode != ModeNone && h.Mode != ModeDevice && h.Mode != ModePassphrase:
		return nil, fmt.Errorf("%w: mode %q", ErrHeader, h.Mode)
	}
	return &h, nil
}

func (h *header) put(b *store.Batch) {
	v, _ := json.Marshal(h)
	b.Put(Bucket, headerKey, v)
}

// Wrapper keeps the data key wrapped under a key of its own: the device
// key. Unwrap fails with ErrKeyUnavailable when it cannot.
type Wrapper interface {
	Wrap(ctx context.Context, dataKey []byte) ([]byte, error)
	Unwrap(ctx context.Context, wrapped []byte) ([]byte, error)
}

// KeyWrapper is a Wrapper in Go with a fixed 32-byte key: native clients
// that keep that key elsewhere, and tests.
func KeyWrapper(key []byte) (Wrapper, error) {
	s, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	return keyWrapper{s}, nil
}

type keyWrapper struct{ s *sealer }

func (w keyWrapper) Wrap(_ context.Context, dataKey []byte) ([]byte, error) {
	return w.s.seal(dataKey, []byte(adDataKey)), nil
}

func (w keyWrapper) Unwrap(_ context.Context, wrapped []byte) ([]byte, error) {
	k, err := w.s.open(wrapped, []byte(adDataKey))
	if err != nil {
		return nil, ErrKeyUnavailable
	}
	return k, nil
}

// wrapPassphrase wraps dataKey under passphrase with fresh parameters of
// cost's cost.
func wrapPassphrase(passphrase, dataKey []byte, cost kdf.Params) ([]byte, *kdf.Params, error) {
	p, err := kdf.NewParams()
	if err != nil {
		return nil, nil, err
	}
	if cost.Time != 0 {
		p.Time, p.MemoryKiB, p.Threads = cost.Time, cost.MemoryKiB, cost.Threads
	}
	kek, err := kdf.Derive(passphrase, p)
	if err != nil {
		return nil, nil, err
	}
	s, err := newSealer(kek)
	if err != nil {
		return nil, nil, err
	}
	return s.seal(dataKey, []byte(adDataKey)), &p, nil
}

func unwrapPassphrase(passphrase []byte, h *header) ([]byte, error) {
	kek, err := kdf.Derive(passphrase, *h.KDF)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHeader, err)
	}
	s, err := newSealer(kek)
	if err != nil {
		return nil, err
	}
	k, err := s.open(h.Wrapped, []byte(adDataKey))
	if err != nil {
		return nil, ErrBadPassphrase
	}
	return k, nil
}

func newDataKey() ([]byte, error) {
	k := make([]byte, keySize)
	_, err := rand.Read(k)
	return k, err
}
