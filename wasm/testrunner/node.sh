#!/usr/bin/env bash
# go test -exec runner: runs a GOOS=js test binary in Node with
# fake-indexeddb preloaded (installs `indexedDB` before Go starts).
#   GOOS=js GOARCH=wasm go test -exec "$PWD/wasm/testrunner/node.sh" ./idbstore/...
# Needs `npm ci` at the repo root (fake-indexeddb is pinned in package.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -d "$root/node_modules/fake-indexeddb" ] || { echo "testrunner/node: run 'npm ci' in $root" >&2; exit 2; }
export NODE_PATH="$root/node_modules${NODE_PATH:+:$NODE_PATH}"
export NODE_OPTIONS="--require $root/node_modules/fake-indexeddb/auto/index.js ${NODE_OPTIONS:-}"
exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" "$@"
