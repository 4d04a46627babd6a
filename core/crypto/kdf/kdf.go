// Package kdf derives keys from passphrases: Argon2id
// (golang.org/x/crypto/argon2) with parameters carried next to what they
// protect (a backup's header, the at-rest key's record), so they can grow
// later without breaking what was written before.
//
// Layer: core/crypto, pure Go; imports nothing of the project. Used by
// core/backup and core/store/atrest.
//
// Concurrency: stateless; Derive may run from any goroutine (in the
// browser it blocks the Go scheduler's only thread for about a second:
// callers run it off any lock).
package kdf

import (
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id's cost parameters and the salt.
type Params struct {
	Time      uint32 `json:"t"` // passes over memory
	MemoryKiB uint32 `json:"m"` // memory in KiB
	Threads   uint8  `json:"p"` // lanes (wasm has one thread: they run in turn)
	Salt      []byte `json:"salt"`
}

// SaltSize is the size of a salt NewParams draws.
const SaltSize = 16

// KeySize is the size of a derived key.
const KeySize = 32

// Default cost: about a second in Chromium's wasm on the build machine
// (TestCost, best of 3: t=8 m=64 MiB 1.0–1.15 s; natively ~0.3 s;
// docs/backup-and-storage.md, "Passphrases"). 64 MiB rather than more:
// the tab's wasm memory grows by that much once and never shrinks (Go
// reuses it), and phones are slower and smaller than this machine.
const (
	DefaultTime      = 8
	DefaultMemoryKiB = 64 << 10
	DefaultThreads   = 1
)

// Bounds on parameters read from a file or a record: below the minimum a
// passphrase is too cheap to guess, above the maximum a forged header
// could make a browser tab allocate gigabytes or spin for hours.
const (
	MinMemoryKiB = 8 << 10
	MaxMemoryKiB = 1 << 20 // 1 GiB
	MaxTime      = 64
	MaxThreads   = 16
	MaxSaltSize  = 64
)

// ErrParams: parameters out of bounds (a damaged or forged record).
var ErrParams = errors.New("kdf: parameters out of bounds")

// NewParams returns the default cost with a fresh random salt.
func NewParams() (Params, error) {
	p := Params{Time: DefaultTime, MemoryKiB: DefaultMemoryKiB, Threads: DefaultThreads, Salt: make([]byte, SaltSize)}
	_, err := rand.Read(p.Salt)
	return p, err
}

// Check reports parameters out of bounds (ErrParams).
func (p Params) Check() error {
	switch {
	case p.Time < 1 || p.Time > MaxTime:
		return fmt.Errorf("%w: time %d", ErrParams, p.Time)
	case p.Threads < 1 || p.Threads > MaxThreads:
		return fmt.Errorf("%w: threads %d", ErrParams, p.Threads)
	case p.MemoryKiB < MinMemoryKiB || p.MemoryKiB > MaxMemoryKiB:
		return fmt.Errorf("%w: memory %d KiB", ErrParams, p.MemoryKiB)
	case len(p.Salt) < 8 || len(p.Salt) > MaxSaltSize:
		return fmt.Errorf("%w: salt of %d bytes", ErrParams, len(p.Salt))
	}
	return nil
}

// Derive is the KeySize-byte key of passphrase under p (checked first).
func Derive(passphrase []byte, p Params) ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	k := argon2.IDKey(passphrase, p.Salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
	// Argon2's memory (64 MiB) is garbage now. Collected at once, the next
	// derivation reuses it; left to the pacer, the next one grows the heap
	// first, and in wasm the memory never shrinks (measured in Chromium: a
	// second export took 1.8 s of Argon2 instead of 1.0 s).
	runtime.GC()
	return k, nil
}
