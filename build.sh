#!/usr/bin/env bash
# build.sh — the project's front door.
#   ./build.sh serve   build everything and serve the app + relay on http://127.0.0.1:${PORT:-8080}
#   ./build.sh test    run every test (Go native, wasm in Node and Chromium, the Worker's JS
#                      helpers, the web client's JS in Node, end to end),
#                      installing what the tests need when it is missing
#   ./build.sh wasm    build the wasm and the web bundle into build/web
#   ./build.sh bench   print the browser numbers (docs/browser-numbers.md)
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "build.sh: $*" >&2; exit 1; }
say() { echo "== $*"; }

need_go() { command -v go >/dev/null || die "Go 1.26 is required (https://go.dev/dl)"; }

WEB=build/web
WASM_PKG=./wasm          # package main of the browser core (GOOS=js)
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

# npm packages pinned in package-lock.json: playwright-core, fake-indexeddb, qrcode-generator,
# and wrangler (relay/cfworker/cftest runs `wrangler dev` from node_modules).
NPM_PACKAGES="playwright-core fake-indexeddb qrcode-generator wrangler"
ensure_npm() {
  command -v npm >/dev/null || die "Node.js 20+ with npm is required"
  # npm records what it installed in node_modules/.package-lock.json: reinstall when the
  # lockfile is newer (a package was added) or a package we use is missing.
  local missing="" p
  for p in $NPM_PACKAGES; do [ -d "node_modules/$p" ] || missing="$missing $p"; done
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ -n "$missing" ]; then
    say "npm ci${missing:+ (missing:$missing)}"
    npm ci --no-audit --no-fund
  fi
}

# Debian's Chromium for the browser tests (playwright cannot download browsers here).
ensure_chromium() {
  [ -x "$CHROMIUM" ] && return
  say "installing chromium"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
}

has_wasm_main() { compgen -G "wasm/*.go" >/dev/null && grep -qs '^package main' wasm/*.go; }

# build_web writes the complete app into build/web:
#   index.html, sw.js (stamped), version.json,
#   web/*.js (simplex.js and the core's worker: core-worker.js, host.js, view.js, ...;
#   version.js stamped), app.css, manifest, icons/, vendor/qrcode.mjs,
#   web/wasm_exec.js (from the Go that compiles), web/app.wasm.
build_web() {
  need_go
  ensure_npm
  local tmp="$WEB.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp/web/icons" "$tmp/web/vendor"
  if has_wasm_main; then
    say "go build (GOOS=js GOARCH=wasm) $WASM_PKG"
    GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$tmp/web/app.wasm" "$WASM_PKG"
  else
    echo "build.sh: warning: no wasm main package in wasm/ yet; the app will not start" >&2
    : > "$tmp/web/app.wasm"
  fi
  cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$tmp/web/"
  cp index.html "$tmp/"
  for f in web/*.js web/*.css web/*.html web/manifest.webmanifest; do
    [ "$f" = web/sw.js ] || cp "$f" "$tmp/web/"
  done
  cp web/icons/*.png "$tmp/web/icons/"
  cp node_modules/qrcode-generator/dist/qrcode.mjs "$tmp/web/vendor/qrcode.mjs"
  cp node_modules/qrcode-generator/LICENSE "$tmp/web/vendor/qrcode.LICENSE" 2>/dev/null || true

  # The shell the service worker caches, and its version: the wasm's hash
  # combined with the hash of every other shell file (a JS-only change must
  # also reach installed clients).
  local files shell wasmhash version
  files="$(cd "$tmp" && find . -type f ! -name '*.LICENSE' | sed 's|^\./||' | LC_ALL=C sort)"
  wasmhash="$(sha256sum "$tmp/web/app.wasm" | cut -c1-16)"
  version="$wasmhash-$(cd "$tmp" && echo "$files" | xargs sha256sum | sha256sum | cut -c1-8)"
  shell="\"./\""
  for f in $files; do
    [ "$f" = index.html ] || shell="$shell, \"$f\""
  done
  sed -e "s|__SXWEB_VERSION__|$version|" -e "s|\"__SXWEB_SHELL__\"|$shell|" web/sw.js > "$tmp/sw.js"
  # The same version names the core's worker (web/version.js); the build time
  # orders builds: when two want one database, the later one takes it over.
  sed -i -e "s|\"__SXWEB_VERSION__\"|\"$version\"|" -e "s|\"__SXWEB_BUILT__\"|\"${SOURCE_DATE_EPOCH:-$(date +%s)}\"|" "$tmp/web/version.js"
  printf '{"version":"%s","wasm":"%s"}\n' "$version" "$wasmhash" > "$tmp/version.json"
  rm -rf "$WEB"
  mv "$tmp" "$WEB"
  say "built $WEB (version $version, wasm $(stat -c %s "$WEB/web/app.wasm") bytes)"
}

cmd_serve() {
  need_go
  build_web
  exec go run ./cmd/serve -addr "127.0.0.1:${PORT:-8080}" -web "$WEB" -data "${DATA:-build/data}"
}

cmd_test() {
  need_go
  local t0=$SECONDS
  say "no merge conflict markers"
  if git grep -nE '^(<<<<<<< |>>>>>>> )' -- . ':!node_modules' 2>/dev/null; then
    echo "build.sh: a merge left conflict markers (above)" >&2; return 1
  fi
  say "go vet (native)"
  go vet ./...
  say "go vet (GOOS=js)"
  GOOS=js GOARCH=wasm go vet ./idbstore/... ./wasm/...
  # npm packages first: some native tests drive Node tools (relay/cfworker/cftest runs wrangler).
  ensure_npm
  ensure_chromium
  say "worker JS helpers (node --test worker/test/)"
  node --test worker/test/
  say "the page side of the many-tabs protocol (node --test web/test/)"
  node --test web/test/
  say "go test (native)"
  go test -count=1 ./...
  say "go test -race: concurrent calls and events, transactions"
  go test -count=1 -race -run 'Concurrent|Idempotent|Leave|Update|Commit|Panic' ./core/chat/... ./core/agent/
  # The GOOS=js packages (docs/browser-internals.md, "Tests and how to run them").
  if compgen -G "wasm/*.go" >/dev/null; then
    say "go test (GOOS=js) in Node with fake-indexeddb"
    GOOS=js GOARCH=wasm go test -count=1 -exec "$PWD/wasm/testrunner/node.sh" ./idbstore/... ./wasm/bridge/ ./wasm/
    say "go test (GOOS=js) in headless Chromium"
    # one package at a time: each runs its own Chromium, and 2 cores are few
    wasm/testrunner/withservers.sh env GOOS=js GOARCH=wasm \
      go test -count=1 -p 1 -exec "$PWD/wasm/testrunner/chromium.sh" ./idbstore/... ./wasm/...
  fi

  say "web app"
  build_web
  say "end to end (node --test e2e/, headless Chromium)"
  node --test --test-concurrency=1 e2e/
  say "all tests passed in $((SECONDS - t0)) s"
}

cmd_bench() {
  build_web
  ensure_chromium
  node e2e/bench.mjs "$@"
}

case "${1:-}" in
  serve) cmd_serve ;;
  test) cmd_test ;;
  wasm) build_web ;;
  bench) shift; cmd_bench "$@" ;;
  *) echo "usage: $0 serve|test|wasm|bench" >&2; exit 2 ;;
esac
