#!/usr/bin/env bash
# Builds the browser core into OUTDIR (default build/web):
#   OUTDIR/app.wasm      GOOS=js GOARCH=wasm, -trimpath -ldflags="-s -w"
#   OUTDIR/wasm_exec.js  copied from the same Go that compiled app.wasm
# Usage: wasm/build.sh [OUTDIR]      (prints the sizes with SIZES=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/build/web}"
mkdir -p "$out"
cd "$root"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/app.wasm" ./wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
if [ "${SIZES:-}" = 1 ]; then
  node -e '
    const fs = require("fs"), z = require("zlib");
    const b = fs.readFileSync(process.argv[1]);
    const gz = z.gzipSync(b, { level: 9 }).length;
    const br = z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
    const mb = (n) => (n / 1e6).toFixed(2) + " MB";
    console.log(`app.wasm: raw ${mb(b.length)} (${b.length}), gzip -9 ${mb(gz)} (${gz}), brotli q11 ${mb(br)} (${br})`);
  ' "$out/app.wasm"
fi
