package ratchet

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txt from the scenarios")

// A vector file is one scenario: "# comment" lines, then "key: hex"
// fields, then steps, one per line:
//
//	send <j|i> <label> <ad hex> <plaintext hex> <ciphertext hex>
//	recv <j|i> <label> <ad hex> <ok|ERROR_CODE>
//	tamper <new label> <label> <byte offset>
//	roundtrip <j|i>
//
// The test runs the steps with the seeded randomness, checks every byte
// produced against the file, and decrypts the ciphertexts stored in the
// file (not the regenerated ones).
type vector struct {
	comment []string
	fields  []field
	steps   [][]string
}

type field struct{ key, val string }

func (v *vector) get(key string) string {
	for _, f := range v.fields {
		if f.key == key {
			return f.val
		}
	}
	return ""
}

func parseVector(b []byte) (*vector, error) {
	v := &vector{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			v.comment = append(v.comment, line)
		case strings.Contains(strings.Fields(line)[0], ":"):
			k, val, _ := strings.Cut(line, ": ")
			v.fields = append(v.fields, field{k, val})
		default:
			v.steps = append(v.steps, strings.Fields(line))
		}
	}
	return v, sc.Err()
}

func (v *vector) format() []byte {
	var b bytes.Buffer
	for _, c := range v.comment {
		fmt.Fprintln(&b, c)
	}
	for _, f := range v.fields {
		fmt.Fprintf(&b, "%s: %s\n", f.key, f.val)
	}
	for _, s := range v.steps {
		fmt.Fprintln(&b, strings.Join(s, " "))
	}
	return b.Bytes()
}

// run executes v. In update mode it fills in every output; otherwise it
// reports each output that differs from the file.
func (v *vector) run(t *testing.T, update bool) {
	seedRandom(t, v.get("seed"))
	check := func(what, got string, set func(string)) {
		if update {
			set(got)
		} else if want := v.expected(what); got != want {
			t.Errorf("%s: got\n%s\nwant\n%s", what, got, want)
		}
	}
	setField := func(k string) func(string) {
		return func(s string) { v.setField(k, s) }
	}
	sec, keys, err := NewInvitation()
	if err != nil {
		t.Fatal(err)
	}
	j, hello, err := InitJoiner(keys)
	if err != nil {
		t.Fatal(err)
	}
	i, err := InitInviter(sec, hello)
	if err != nil {
		t.Fatal(err)
	}
	check("invitation_secret", hexOf(sec.MarshalBinary()), setField("invitation_secret"))
	check("invitation_keys", hexOf(keys.MarshalBinary()), setField("invitation_keys"))
	check("joiner_hello", hexOf(hello.MarshalBinary()), setField("joiner_hello"))
	check("joiner_state", hexOf(j.MarshalBinary()), setField("joiner_state"))
	check("inviter_state", hexOf(i.MarshalBinary()), setField("inviter_state"))
	parties := map[string]**Ratchet{"j": &j, "i": &i}
	msgs := map[string][2][]byte{} // label → plaintext, ciphertext
	for n, s := range v.steps {
		v.step(t, n, s, parties, msgs, check)
	}
	check("joiner_final", hexOf(j.MarshalBinary()), setField("joiner_final"))
	check("inviter_final", hexOf(i.MarshalBinary()), setField("inviter_final"))
}

func (v *vector) step(t *testing.T, n int, s []string, parties map[string]**Ratchet,
	msgs map[string][2][]byte, check func(string, string, func(string))) {
	where := fmt.Sprintf("step %d (%s)", n+1, strings.Join(s[:min(3, len(s))], " "))
	switch s[0] {
	case "send":
		ad, pt := unhex(t, s[3]), unhex(t, s[4])
		ct, err := (*parties[s[1]]).Encrypt(pt, ad)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if len(s) < 6 {
			s = append(s, "")
			v.steps[n] = s
		}
		check(where, hex.EncodeToString(ct), func(x string) { s[5] = x })
		msgs[s[2]] = [2][]byte{pt, unhex(t, s[5])}
	case "recv":
		m := msgs[s[2]]
		got := "ok"
		pt, err := (*parties[s[1]]).Decrypt(m[1], unhex(t, s[3]))
		var e *Error
		if errors.As(err, &e) {
			got = e.Code
		} else if err != nil || !bytes.Equal(pt, m[0]) {
			got = fmt.Sprintf("WRONG(%v)", err)
		}
		if len(s) < 5 {
			s = append(s, "")
			v.steps[n] = s
		}
		check(where, got, func(x string) { s[4] = x })
	case "tamper":
		m := msgs[s[2]]
		pos, _ := strconv.Atoi(s[3])
		ct := bytes.Clone(m[1])
		ct[pos] ^= 0x01
		msgs[s[1]] = [2][]byte{m[0], ct}
	case "roundtrip":
		b, _ := (*parties[s[1]]).MarshalBinary()
		r := new(Ratchet)
		if err := r.UnmarshalBinary(b); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		*parties[s[1]] = r
	default:
		t.Fatalf("%s: unknown op", where)
	}
}

// expected returns the stored output for a check name: a field, or the
// last column of the step named in it.
func (v *vector) expected(what string) string {
	if !strings.HasPrefix(what, "step ") {
		return v.get(what)
	}
	var n int
	fmt.Sscanf(what, "step %d", &n)
	s := v.steps[n-1]
	return s[len(s)-1]
}

func (v *vector) setField(k, val string) {
	for i := range v.fields {
		if v.fields[i].key == k {
			v.fields[i].val = val
			return
		}
	}
	v.fields = append(v.fields, field{k, val})
}

func hexOf(b []byte, err error) string {
	if err != nil {
		return "ERROR " + err.Error()
	}
	return hex.EncodeToString(b)
}

func unhex(t *testing.T, s string) []byte {
	if s == "-" {
		return nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func vectorFiles(t testing.TB) []string {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no vectors in testdata/")
	}
	return files
}

func TestVectors(t *testing.T) {
	if *update {
		writeScenarios(t)
	}
	for _, f := range vectorFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, err := parseVector(b)
			if err != nil {
				t.Fatal(err)
			}
			v.run(t, false)
		})
	}
}
