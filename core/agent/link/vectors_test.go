package link

import (
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
)

// writeVectors regenerates testdata (go test -run TestVectors -update).
func writeVectors(t *testing.T) {
	inv, _ := sample(Invitation).Format("http://localhost:8080/")
	con, _ := sample(Contact).Format("https://sxweb.app/")
	p, _ := sample(Contact).Encode()
	enc := func(b []byte) string { return "https://sxweb.app/#/join/" + base64.RawURLEncoding.EncodeToString(b) }
	mut := func(i int, v byte) string {
		q := append([]byte{}, p...)
		q[i] = v
		return enc(q)
	}
	vs := map[string][2]string{
		"ok_invitation":      {"ok", inv},
		"ok_contact":         {"ok", con},
		"bad_no_fragment":    {"BAD_LINK", "https://sxweb.app/join/abc"},
		"bad_prefix":         {"BAD_LINK", strings.Replace(con, "#/join/", "#/open/", 1)},
		"bad_base64":         {"BAD_LINK", con + "!"},
		"bad_padded_base64":  {"BAD_LINK", con + "=="},
		"bad_version":        {"BAD_LINK", mut(0, 9)},
		"bad_kind":           {"BAD_LINK", mut(1, 7)},
		"bad_truncated":      {"BAD_LINK", enc(p[:len(p)-5])},
		"bad_trailing":       {"BAD_LINK", enc(append(append([]byte{}, p...), 0))},
		"bad_empty":          {"BAD_LINK", "https://sxweb.app/#/join/"},
		"bad_server_scheme":  {"BAD_LINK", mut(2+1, 'f')},
		"bad_invitation_nok": {"BAD_LINK", enc(append([]byte{1, 1}, p[2:]...))},
	}
	for name, v := range vs {
		body := fmt.Sprintf("expect: %s\nlink: %s\n", v[0], v[1])
		if err := os.WriteFile("testdata/"+name+".txt", []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
