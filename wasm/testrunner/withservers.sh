#!/usr/bin/env bash
# Runs a command with the native test servers of the browser tests up:
#   wasm/testrunner/withservers.sh go test -exec "$PWD/wasm/testrunner/chromium.sh" ./wasm/jsws/
# Sets SXWEB_TEST_WS (ws://127.0.0.1:PORT with /echo, /text, /close and a real relay at /relay).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$(mktemp -d)"
trap 'exec 3>&- 2>/dev/null; kill "$pid" 2>/dev/null; rm -rf "$bin"' EXIT
(cd "$root" && GOOS= GOARCH= go build -o "$bin/testserver" ./wasm/testrunner/testserver)
exec 3> >("$bin/testserver" > "$bin/addr")  # stdin pipe: the server exits when it closes
pid=$!
for _ in $(seq 100); do [ -s "$bin/addr" ] && break; sleep 0.05; done
SXWEB_TEST_WS="$(head -1 "$bin/addr")"
[ -n "$SXWEB_TEST_WS" ] || { echo "withservers: testserver did not start" >&2; exit 1; }
export SXWEB_TEST_WS
"$@"
