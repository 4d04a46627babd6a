package cftest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sxweb/sxweb/relay/cfworker/cftest"
)

// The browser's relay client (wasm/jsws in headless Chromium, the test
// its owners wrote against the native relay) against the Worker,
// unchanged: create, secure, send, receive, acknowledge.
func TestBrowserClientAgainstWorker(t *testing.T) {
	w := needWorker(t)
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	root, err := cftest.Root()
	must(t, err)
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no Chromium at " + chromium + " (apt-get install chromium, or set CHROMIUM)")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "playwright-core")); err != nil {
		t.Skip("no node_modules/playwright-core (npm ci)")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	must(t, err)
	const name = "TestRelayClientOverBrowserWebSocket"
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "^"+name+"$",
		"-exec", filepath.Join(root, "wasm", "testrunner", "chromium.sh"), "./wasm/jsws/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CHROMIUM="+chromium,
		"SXWEB_TEST_WS="+strings.TrimSuffix(w.URL, "/"),
		"PATH="+filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm")+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("browser client against the Worker: %v\n%s", err, out)
	}
}
