//go:build !js

package boltstore_test

import (
	"os/exec"
	"strings"
	"testing"
)

// bbolt is native only (mmap, flock): neither it nor this package may be
// reachable from the browser build.
func TestNotInBrowserBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "github.com/sxweb/sxweb/wasm/...")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list found %d packages; is ./wasm still there?", len(deps))
	}
	for _, dep := range deps {
		if dep == "go.etcd.io/bbolt" || dep == "github.com/sxweb/sxweb/core/store/boltstore" {
			t.Errorf("the wasm build reaches %s", dep)
		}
	}
}
