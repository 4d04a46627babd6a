package kdf

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"
)

// cheap parameters for tests (the minimum memory, one pass).
func cheap(salt byte) Params {
	return Params{Time: 1, MemoryKiB: MinMemoryKiB, Threads: 1, Salt: bytes.Repeat([]byte{salt}, SaltSize)}
}

func TestDerive(t *testing.T) {
	a, err := Derive([]byte("pass"), cheap(1))
	if err != nil || len(a) != KeySize {
		t.Fatalf("Derive = %x, %v", a, err)
	}
	b, _ := Derive([]byte("pass"), cheap(1))
	c, _ := Derive([]byte("pass"), cheap(2))
	d, _ := Derive([]byte("pasS"), cheap(1))
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(a, d) {
		t.Fatal("the key does not depend on exactly the passphrase and salt")
	}
}

func TestBounds(t *testing.T) {
	for _, p := range []Params{
		{Time: 0, MemoryKiB: MinMemoryKiB, Threads: 1, Salt: make([]byte, 16)},
		{Time: MaxTime + 1, MemoryKiB: MinMemoryKiB, Threads: 1, Salt: make([]byte, 16)},
		{Time: 1, MemoryKiB: MinMemoryKiB - 1, Threads: 1, Salt: make([]byte, 16)},
		{Time: 1, MemoryKiB: MaxMemoryKiB + 1, Threads: 1, Salt: make([]byte, 16)},
		{Time: 1, MemoryKiB: MinMemoryKiB, Threads: 0, Salt: make([]byte, 16)},
		{Time: 1, MemoryKiB: MinMemoryKiB, Threads: 1, Salt: make([]byte, 4)},
	} {
		if _, err := Derive([]byte("x"), p); !errors.Is(err, ErrParams) {
			t.Errorf("Derive with %+v: %v, want ErrParams", p, err)
		}
	}
	p, err := NewParams()
	if err != nil || p.Check() != nil || len(p.Salt) != SaltSize {
		t.Fatalf("NewParams = %+v, %v", p, err)
	}
}

// TestCost prints what parameters cost here (go test -run Cost -v; under
// GOOS=js in Chromium with wasm/testrunner/chromium.sh, the number the
// defaults were chosen by).
func TestCost(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("measurement: run with -v")
	}
	for _, c := range []struct{ t, m uint32 }{{1, 64 << 10}, {4, 128 << 10}, {5, 128 << 10}, {2, 256 << 10}, {DefaultTime, DefaultMemoryKiB}} {
		p := Params{Time: c.t, MemoryKiB: c.m, Threads: 1, Salt: make([]byte, 16)}
		best := time.Duration(1 << 62)
		for range 3 {
			t0 := time.Now()
			if _, err := Derive([]byte("passphrase"), p); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(t0))
		}
		fmt.Printf("argon2id t=%d m=%d MiB: %v (best of 3)\n", c.t, c.m>>10, best.Round(time.Millisecond))
	}
}
