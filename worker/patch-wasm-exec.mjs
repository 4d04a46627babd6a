// Writes the Go-version-matched wasm_exec.js with github.com/syumai/workers'
// one change: run(instance, context) exposes `context` to that instance
// only (a Proxy of globalThis), so concurrent Go instances in one isolate
// each see their own env, role and storage.
//   node patch-wasm-exec.mjs <GOROOT>/lib/wasm/wasm_exec.js out.js
import { readFileSync, writeFileSync } from "node:fs";

const [src, out] = process.argv.slice(2);
let s = readFileSync(src, "utf8");
const edits = [
  ["async run(instance) {", "async run(instance, context) {"],
  [
    "\t\t\tthis._values = [ // JS values that Go currently has references to, indexed by reference id",
    "\t\t\tconst globalProxy = new Proxy(globalThis, {\n\t\t\t\tget(target, prop) {\n\t\t\t\t\tif (prop === 'context') {\n\t\t\t\t\t\treturn context;\n\t\t\t\t\t}\n\t\t\t\t\treturn Reflect.get(target, prop, target);\n\t\t\t\t}\n\t\t\t});\n\t\t\tthis._values = [ // JS values that Go currently has references to, indexed by reference id",
  ],
];
for (const [from, to] of edits) {
  if (!s.includes(from)) throw new Error(`patch-wasm-exec: anchor not found: ${from}`);
  s = s.replace(from, to);
}
// The global object Go sees (twice: in _values and in _ids).
const before = s;
s = s.replace(/\n(\t+)globalThis,\n/, "\n$1globalProxy,\n").replace("[globalThis, 5]", "[globalProxy, 5]");
if (s === before || !s.includes("[globalProxy, 5]")) throw new Error("patch-wasm-exec: globalThis anchors not found");
writeFileSync(out, s);
