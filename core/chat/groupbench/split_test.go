package groupbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sxweb/sxweb/core/agent"
)

// A batch above the agent's limit is cut into batches under it, keeping
// every event's bytes in order; small bodies pass unchanged.
func TestSplit(t *testing.T) {
	var evs []string
	for i := range 100 {
		evs = append(evs, fmt.Sprintf(`{"v":"1","event":"x.grp.mem.intro","params":{"n":%d,"pad":%q}}`, i, bytes.Repeat([]byte("p"), 250)))
	}
	body := []byte("[" + join(evs) + "]")
	parts := split(body)
	if len(parts) < 2 {
		t.Fatalf("%d bytes: %d part(s)", len(body), len(parts))
	}
	var got []string
	for _, p := range parts {
		if len(p) > agent.MaxMessage {
			t.Errorf("part of %d bytes", len(p))
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(p, &raws); err != nil {
			t.Fatal(err)
		}
		for _, r := range raws {
			got = append(got, string(r))
		}
	}
	if join(got) != join(evs) {
		t.Error("events changed")
	}
	if small := []byte(`{"v":"1"}`); len(split(small)) != 1 || !bytes.Equal(split(small)[0], small) {
		t.Error("small body changed")
	}
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(x)
	}
	return b.String()
}
