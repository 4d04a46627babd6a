package files

import (
	"os"
	"testing"
)

// TestWriteSeeds regenerates the fuzz seeds (go test -run TestWriteSeeds -update).
func TestWriteSeeds(t *testing.T) {
	if !*update {
		return
	}
	for name, size := range map[string]int64{"small": 100, "one_chunk": 3 << 20, "three_chunks": 10 << 20} {
		b, err := sampleDescription(t, size).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/descr_"+name+".json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
