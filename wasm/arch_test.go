//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// goList runs `go list` with GOOS=js GOARCH=wasm (or natively when js is
// false) and returns the output lines.
func goList(t *testing.T, js bool, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = ".."
	if js {
		cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	return strings.Fields(string(out))
}

// TestBrowserBuildHasNoNetHTTP: net/http (and coder/websocket, which pulls
// it in) costs megabytes in the browser binary; the browser has WebSocket.
func TestBrowserBuildHasNoNetHTTP(t *testing.T) {
	forbidden := map[string]bool{
		"net/http":                   true,
		"github.com/coder/websocket": true,
		"github.com/sxweb/sxweb/core/relayclient/wsdial": true,
	}
	for _, dep := range goList(t, true, "-deps", "./wasm") {
		if forbidden[dep] {
			t.Errorf("./wasm reaches %s under GOOS=js", dep)
		}
	}
}

// TestCoreNeverImportsSyscallJS: core/... is pure Go, natively and in the
// browser build.
func TestCoreNeverImportsSyscallJS(t *testing.T) {
	for _, js := range []bool{false, true} {
		lines := goList(t, js, "-f", `{{.ImportPath}}:{{join .Imports ","}}`, "./core/...")
		for _, l := range lines {
			pkg, imports, _ := strings.Cut(l, ":")
			for _, imp := range strings.Split(imports, ",") {
				if imp == "syscall/js" || strings.HasPrefix(imp, "github.com/hack-pad/safejs") {
					t.Errorf("%s imports %s (js=%v)", pkg, imp, js)
				}
			}
		}
	}
}
