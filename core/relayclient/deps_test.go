package relayclient_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// relayclient is in the browser build: no net/http, no syscall/js, and of
// relay/ only the shared codec.
func TestImports(t *testing.T) {
	for _, goos := range []string{"", "js"} {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{if .Module}}{{range .Imports}} {{.}}{{end}}{{end}}", ".")
		cmd.Env = os.Environ()
		if goos == "js" {
			cmd.Env = append(cmd.Env, "GOOS=js", "GOARCH=wasm")
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		// Each line: a dependency, then (for module packages) what it imports
		// directly. The standard library itself uses syscall/js under js.
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			p := f[0]
			if p == "net/http" || p == "github.com/coder/websocket" ||
				(strings.HasPrefix(p, "github.com/sxweb/sxweb/relay") && p != "github.com/sxweb/sxweb/relay/wire") {
				t.Errorf("GOOS=%q: core/relayclient depends on %s", goos, p)
			}
			for _, imp := range f[1:] {
				if imp == "syscall/js" {
					t.Errorf("GOOS=%q: %s imports syscall/js", goos, p)
				}
			}
		}
	}
}
