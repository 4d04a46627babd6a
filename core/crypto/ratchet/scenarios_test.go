package ratchet

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
)

// scenarios are the scripts behind testdata/*.txt; `go test -run
// TestVectors -update` regenerates the files from them.
var scenarios = []struct {
	name, comment string
	steps         []string
}{
	{"basic", "Joiner sends first, then both directions alternate.", []string{
		"send j m0 ad hello", "recv i m0 ad",
		"send i m1 ad hi-there", "recv j m1 ad",
		"send j m2 ad second", "recv i m2 ad",
	}},
	{"inviter_first", "The inviter sends before it has received anything; both chains cross.", []string{
		"send i a0 ad from-inviter", "send j b0 ad from-joiner",
		"recv j a0 ad", "recv i b0 ad",
		"send i a1 ad again", "recv j a1 ad",
	}},
	{"out_of_order", "Messages delivered out of order within a chain and across a ratchet step.", []string{
		"send j m0 ad zero", "send j m1 ad one", "send j m2 ad two", "send j m3 ad three",
		"recv i m3 ad", "recv i m0 ad",
		"send i r0 ad reply", "recv j r0 ad",
		"send j n0 ad new-zero", "send j n1 ad new-one",
		"recv i n1 ad", "recv i m2 ad", "roundtrip i", "recv i n0 ad", "recv i m1 ad",
		"recv i m1 ad",
	}},
	{"rejections", "Duplicates, a tampered header and body, wrong associated data, a foreign version byte.", []string{
		"send j m0 ad payload", "tamper h0 m0 20", "tamper b0 m0 80", "tamper v0 m0 0",
		"recv i h0 ad", "recv i b0 ad", "recv i v0 ad", "recv i m0 other-ad",
		"recv i m0 ad", "recv i m0 ad",
		"send i r0 ad reply", "recv j r0 ad", "recv j r0 ad",
	}},
	{"long_alternating", "Forty messages, senders alternating in bursts, state persisted mid-way.", longScript()},
	{"sizes", "An empty plaintext, empty associated data, and a 15,000-byte plaintext.", []string{
		"send j e0 - -", "recv i e0 -",
		"send i big ad big15000", "recv j big ad",
	}},
}

func longScript() []string {
	var s []string
	from, to := "j", "i"
	for k := 0; k < 40; k++ {
		if k%3 == 2 {
			from, to = to, from
		}
		s = append(s, fmt.Sprintf("send %s x%d ad msg-%d", from, k, k), fmt.Sprintf("recv %s x%d ad", to, k))
		if k == 20 {
			s = append(s, "roundtrip i", "roundtrip j")
		}
	}
	return s
}

// hexArg turns a script word into a hex field: "-" stays empty,
// "bigN" is N bytes of a repeating pattern, anything else is its ASCII.
func hexArg(w string) string {
	if w == "-" {
		return "-"
	}
	var n int
	if _, err := fmt.Sscanf(w, "big%d", &n); err == nil {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 251)
		}
		return hex.EncodeToString(b)
	}
	return hex.EncodeToString([]byte(w))
}

func writeScenarios(t *testing.T) {
	for _, sc := range scenarios {
		v := &vector{comment: []string{"# " + sc.comment}}
		v.fields = []field{{"seed", "sxweb-ratchet-" + sc.name}}
		for _, line := range sc.steps {
			w := strings.Fields(line)
			switch w[0] {
			case "send":
				w[3], w[4] = hexArg(w[3]), hexArg(w[4])
			case "recv":
				w[3] = hexArg(w[3])
			}
			v.steps = append(v.steps, w)
		}
		v.run(t, true)
		if err := os.WriteFile("testdata/"+sc.name+".txt", v.format(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
