#!/usr/bin/env bash
# worker/build.sh — build the relay Worker into worker/build/:
#   relay.wasm (cmd/relay-worker, GOOS=js GOARCH=wasm, -s -w), wasm_exec.js
#   (from the Go that compiles, with syumai/workers' per-instance context
#   patch), and the JS glue from worker/src. SIZES=1 prints raw and gzip -9
#   sizes (the free plan allows 3 MB compressed).
# Then: cd worker && npx wrangler dev (local) or npx wrangler deploy.
set -euo pipefail
cd "$(dirname "$0")"
OUT=build
command -v go >/dev/null || { echo "worker/build.sh: Go 1.26 is required" >&2; exit 1; }
command -v node >/dev/null || { echo "worker/build.sh: Node.js 20+ is required" >&2; exit 1; }
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
(cd .. && GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o worker/"$OUT.tmp"/relay.wasm ./cmd/relay-worker)
node patch-wasm-exec.mjs "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$OUT.tmp/wasm_exec.js"
cp src/*.mjs "$OUT.tmp/"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
if [ "${SIZES:-}" = 1 ]; then
  raw=$(cat "$OUT"/*.wasm "$OUT"/*.js "$OUT"/*.mjs | wc -c)
  gz=$(for f in "$OUT"/*; do gzip -9 -c "$f"; done | wc -c)
  echo "worker bundle: $raw bytes raw, $gz bytes gzip -9 (limit 3 MB compressed on the free plan)"
fi
echo "built worker/$OUT"
