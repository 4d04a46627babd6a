package padding

import (
	"bytes"
	"errors"
	"testing"
)

func TestPadPicksSmallestBucket(t *testing.T) {
	cases := map[int]int{0: 256, 100: 256, 254: 256, 255: 512, 510: 512, 511: 1024,
		1022: 1024, 1023: 2048, 2046: 2048, 2047: 4096, 4094: 4096, 4095: 8192,
		8190: 8192, 8191: MaxPadded, MaxPayload: MaxPadded}
	for n, want := range cases {
		msg := bytes.Repeat([]byte{0xA5}, n)
		p, err := Pad(msg)
		if err != nil {
			t.Fatalf("Pad(%d): %v", n, err)
		}
		if len(p) != want {
			t.Errorf("Pad(%d) = %d bytes, want %d", n, len(p), want)
		}
		got, err := Unpad(p)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Unpad(Pad(%d)): %v", n, err)
		}
	}
}

func TestPadTooLarge(t *testing.T) {
	_, err := Pad(make([]byte, MaxPayload+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}

func TestUnpadRejects(t *testing.T) {
	good, _ := Pad([]byte("hello"))
	bad := map[string][]byte{
		"empty":      nil,
		"not bucket": good[:255],
		"long len":   append([]byte{0x01, 0x00}, good[2:]...),
		"fill":       append(bytes.Clone(good[:255]), 1),
	}
	for name, b := range bad {
		if _, err := Unpad(b); !errors.Is(err, ErrBadPadding) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestBucketsFitRelay(t *testing.T) {
	const maxBody = 16384 // relayclient.MaxBody
	if MaxPadded > maxBody-512 || Buckets[len(Buckets)-1] != MaxPadded {
		t.Fatal("largest bucket leaves less than 512 bytes for ratchet and agent")
	}
	for i := 1; i < len(Buckets); i++ {
		if Buckets[i] <= Buckets[i-1] {
			t.Fatal("buckets not increasing")
		}
	}
}
