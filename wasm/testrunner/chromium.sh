#!/usr/bin/env bash
# go test -exec runner for real headless Chromium (see chromium.mjs):
#   GOOS=js GOARCH=wasm go test -exec "$PWD/wasm/testrunner/chromium.sh" ./idbstore/...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -d "$root/node_modules/playwright-core" ] || { echo "testrunner/chromium: run 'npm ci' in $root" >&2; exit 2; }
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null || { echo "testrunner/chromium: install Chromium (apt-get install -y chromium)" >&2; exit 2; }
export GOROOT="${GOROOT:-$(go env GOROOT)}"
exec node "$root/wasm/testrunner/chromium.mjs" "$@"
