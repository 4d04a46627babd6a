// profile-top.mjs — the top functions by self time of a CPU profile that
// e2e/swarm-bench.mjs --profile wrote, with the wasm functions named.
// The app's wasm is built stripped (-s -w); build the same code without
// stripping for its name section (the function indices are the same):
//
//   GOOS=js GOARCH=wasm go build -trimpath -o /tmp/app-names.wasm ./wasm
//   node e2e/profile-top.mjs /tmp/app-names.wasm PROFILE.cpuprofile [N]
import { readFileSync } from "node:fs";

const [wasmPath, profPath, topN = "40"] = process.argv.slice(2);
const names = functionNames(readFileSync(wasmPath));
const profile = JSON.parse(readFileSync(profPath, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => {
  const f = nameOf(byId.get(id).callFrame);
  self.set(f, (self.get(f) || 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`${total.toFixed(0)} ms sampled`);
for (const [f, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topN))) {
  console.log(`${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${f}`);
}

function nameOf(cf) {
  const m = /^wasm-function\[(\d+)\]$/.exec(cf.functionName);
  if (m) return names.get(Number(m[1])) || cf.functionName;
  return cf.functionName || `(${cf.url.split("/").pop() || "anonymous"})`;
}

// functionNames reads the wasm name section's function names.
function functionNames(buf) {
  const mod = new WebAssembly.Module(buf);
  const [sec] = WebAssembly.Module.customSections(mod, "name");
  const out = new Map();
  if (!sec) return out;
  const b = new Uint8Array(sec);
  let p = 0;
  const u32 = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  while (p < b.length) {
    const id = b[p++], size = u32(), end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        const idx = u32(), len = u32();
        out.set(idx, new TextDecoder().decode(b.subarray(p, p + len)));
        p += len;
      }
    }
    p = end;
  }
  return out;
}
