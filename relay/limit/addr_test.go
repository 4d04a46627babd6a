package limit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestForwardedAddr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{" 203.0.113.7:4711 ", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"}, // one /64 is one client
		{"[2001:db8::1%eth0]:443", "2001:db8::"},
		{"spoofed, 10.0.0.1 ,198.51.100.2", "198.51.100.2"}, // the proxy's own entry is the last
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"unknown", ""},
		{"", ""},
		{"1.2.3.4,", ""}, // the last entry is empty: no address, not the client's choice
	} {
		k, ok := Forwarded(c.in)
		if got := ""; ok {
			got = k.String()
			if got != c.want {
				t.Errorf("%q: %s, want %s", c.in, got, c.want)
			}
		} else if c.want != "" {
			t.Errorf("%q: no address, want %s", c.in, c.want)
		}
	}
	if k, ok := PeerKey("[2001:db8::7]:5"); !ok || k.String() != "2001:db8::" {
		t.Errorf("peer: %v %v", k, ok)
	}
	if _, ok := PeerKey("pipe"); ok {
		t.Error("a non-IP peer has a key")
	}
}

// FuzzForwarded: a proxy header's value (bytes from the network, as
// far as a relay can tell) never panics the parser, and every key it
// returns is canonical: no zone, IPv4 unmapped, IPv6 cut to its /64.
func FuzzForwarded(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/forwarded/*.txt")
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata/forwarded")
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, v string) {
		k, ok := Forwarded(v)
		if !ok {
			return
		}
		if !k.IsValid() || k.Zone() != "" || k.Is4In6() || KeyOf(k) != k {
			t.Fatalf("%q: key %v is not canonical", v, k)
		}
		if k.Is6() {
			if p, _ := k.Prefix(64); p.Addr() != k {
				t.Fatalf("%q: key %v is not a /64", v, k)
			}
		}
		if back, ok := Forwarded(k.String()); !ok || back != k {
			t.Fatalf("%q: key %v does not parse back (%v)", v, k, back)
		}
	})
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"1.5GiB": 3 << 29, "500MB": 500e6, "-1": -1, "4096": 4096, " 2 KiB ": 2048} {
		var b ByteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("%q: %d %v, want %d", in, b, err, want)
		}
	}
	for _, bad := range []string{"lots", "1XB", "", "1e30"} {
		var b ByteSize
		if b.Set(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
