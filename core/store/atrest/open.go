package atrest

import (
	"context"
	"fmt"

	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/store"
)

// Options configures Open.
type Options struct {
	// Device wraps the data key unless a passphrase does; needed to open
	// or create a ModeDevice database, and to remove a passphrase.
	Device Wrapper
	// Passphrase unlocks a ModePassphrase database; for a new one it
	// makes it ModePassphrase.
	Passphrase []byte
	// Cost is the Argon2id cost of new passphrases (its Salt is ignored;
	// zero: kdf's defaults). Tests make it cheap.
	Cost kdf.Params
	// Plain makes a new database (or one written before this package)
	// ModeNone: values stay in clear. For benchmarks and tests.
	Plain bool
	// Page is how many records a migration batch seals (default 256).
	Page int
}

// Open unlocks (or sets up) the database in inner and returns the
// decorator. A database without a header is new (no records: a data key
// is made and wrapped) or was written in clear before (its values are
// sealed in place first, resumably); one that was being sealed when the
// app stopped is finished. Errors: ErrPassphraseRequired,
// ErrBadPassphrase, ErrKeyUnavailable, ErrHeader, and the inner store's.
func Open(ctx context.Context, inner Inner, o Options) (*Store, error) {
	if o.Page <= 0 {
		o.Page = 256
	}
	h, err := readHeader(ctx, inner)
	if err != nil {
		return nil, err
	}
	s := &Store{inner: inner, opts: o}
	if h == nil {
		return s, s.create(ctx)
	}
	s.hdr = *h
	if err := s.unlock(ctx); err != nil {
		return nil, err
	}
	if s.hdr.Migrating {
		return s, s.migrate(ctx)
	}
	return s, nil
}

func (s *Store) unlock(ctx context.Context) error {
	var key []byte
	var err error
	switch s.hdr.Mode {
	case ModeNone:
		if len(s.opts.Passphrase) > 0 {
			return fmt.Errorf("%w: a passphrase for a database kept in clear", ErrBadPassphrase)
		}
		return nil
	case ModeDevice:
		if len(s.opts.Passphrase) > 0 {
			return fmt.Errorf("%w: this database has no passphrase", ErrBadPassphrase)
		}
		if s.opts.Device == nil {
			return fmt.Errorf("%w: no device key", ErrKeyUnavailable)
		}
		key, err = s.opts.Device.Unwrap(ctx, s.hdr.Wrapped)
	case ModePassphrase:
		if len(s.opts.Passphrase) == 0 {
			return ErrPassphraseRequired
		}
		key, err = unwrapPassphrase(s.opts.Passphrase, &s.hdr)
	}
	if err != nil {
		return err
	}
	s.s, err = newSealer(key)
	return err
}

// create makes the header of a database that has none: a new one, or
// one written in clear before, which is then sealed in place.
func (s *Store) create(ctx context.Context) error {
	first, err := firstRecord(ctx, s.inner)
	if err != nil {
		return err
	}
	h := header{V: headerVersion, Mode: ModeNone}
	if !s.opts.Plain {
		key, err := newDataKey()
		if err != nil {
			return err
		}
		if err := s.wrap(ctx, &h, key, s.opts.Passphrase); err != nil {
			return err
		}
		if s.s, err = newSealer(key); err != nil {
			return err
		}
		h.Migrating = first != nil
		h.FilesPending = first != nil
	}
	s.hdr = h
	b := &store.Batch{}
	h.put(b)
	if err := s.inner.Apply(ctx, b); err != nil {
		return err
	}
	if h.Migrating {
		return s.migrate(ctx)
	}
	return nil
}

// wrap sets h's mode and wrapped key: under passphrase when given, else
// the device key.
func (s *Store) wrap(ctx context.Context, h *header, key, passphrase []byte) error {
	if len(passphrase) > 0 {
		w, p, err := wrapPassphrase(passphrase, key, s.opts.Cost)
		if err != nil {
			return err
		}
		h.Mode, h.Wrapped, h.KDF = ModePassphrase, w, p
		return nil
	}
	if s.opts.Device == nil {
		return fmt.Errorf("%w: no device key", ErrKeyUnavailable)
	}
	w, err := s.opts.Device.Wrap(ctx, key)
	if err != nil {
		return err
	}
	h.Mode, h.Wrapped, h.KDF = ModeDevice, w, nil
	return nil
}

// firstRecord is the first record outside the system buckets, or nil.
func firstRecord(ctx context.Context, st store.Scanner) (*store.Record, error) {
	var after *store.Pos
	for {
		recs, err := st.Scan(ctx, after, 64)
		if err != nil {
			return nil, err
		}
		for i := range recs {
			if !store.IsSystem(recs[i].Bucket) {
				return &recs[i], nil
			}
		}
		if len(recs) < 64 {
			return nil, nil
		}
		last := recs[len(recs)-1]
		after = &store.Pos{Bucket: last.Bucket, Key: last.Key}
	}
}

// migrate seals the values still in clear, a page per batch, each batch
// also moving the header's position: a crash leaves every value either
// sealed and behind the position, or in clear and after it.
func (s *Store) migrate(ctx context.Context) error {
	for {
		recs, err := s.inner.Scan(ctx, s.hdr.Done, s.opts.Page)
		if err != nil {
			return err
		}
		h := s.hdr
		b := &store.Batch{}
		for _, r := range recs {
			if !store.IsSystem(r.Bucket) {
				b.Put(r.Bucket, r.Key, s.sealValue(r.Bucket, r.Key, r.Value))
			}
		}
		if len(recs) > 0 {
			last := recs[len(recs)-1]
			h.Done = &store.Pos{Bucket: last.Bucket, Key: last.Key}
		}
		if len(recs) < s.opts.Page {
			h.Migrating, h.Done = false, nil
		}
		h.put(b)
		if err := s.inner.Apply(ctx, b); err != nil {
			return fmt.Errorf("atrest: sealing in place: %w", err)
		}
		s.hdr = h
		if !h.Migrating {
			return nil
		}
	}
}

// FilesPending reports whether the database was sealed in place and the
// file bytes kept outside the store still have to be (the owner of those
// seals them with SealPart, then calls FilesSealed).
func (s *Store) FilesPending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hdr.FilesPending
}

// FilesSealed records that every file part is sealed now.
func (s *Store) FilesSealed(ctx context.Context) error {
	return s.updateHeader(ctx, func(h *header) error { h.FilesPending = false; return nil })
}

func (s *Store) updateHeader(ctx context.Context, f func(h *header) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hdr
	if err := f(&h); err != nil {
		return err
	}
	b := &store.Batch{}
	h.put(b)
	if err := s.inner.Apply(ctx, b); err != nil {
		return err
	}
	s.hdr = h
	return nil
}

// SetPassphrase changes how the data key is wrapped: old must be the
// current passphrase (empty when there is none: ErrBadPassphrase
// otherwise); new empty wraps it by the device key again. Only the
// header changes: the values stay sealed under the same data key.
func (s *Store) SetPassphrase(ctx context.Context, old, new []byte) error {
	if s.s == nil {
		return ErrPlain
	}
	return s.updateHeader(ctx, func(h *header) error {
		var key []byte
		var err error
		switch {
		case h.Mode == ModePassphrase && len(old) == 0:
			return ErrPassphraseRequired
		case h.Mode == ModePassphrase:
			key, err = unwrapPassphrase(old, h)
		case len(old) > 0:
			return fmt.Errorf("%w: no passphrase is set", ErrBadPassphrase)
		case s.opts.Device == nil:
			return fmt.Errorf("%w: no device key", ErrKeyUnavailable)
		default:
			key, err = s.opts.Device.Unwrap(ctx, h.Wrapped)
		}
		if err != nil {
			return err
		}
		return s.wrap(ctx, h, key, new)
	})
}
