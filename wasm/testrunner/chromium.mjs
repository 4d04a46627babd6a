// go test -exec runner: runs a GOOS=js test binary (or any GOOS=js program)
// in real headless Chromium and exits with the Go exit code.
//
//   GOOS=js GOARCH=wasm go test -exec "$PWD/wasm/testrunner/chromium.sh" ./idbstore/...
//
// It serves the binary and wasm_exec.js (from the same Go: `go env GOROOT`)
// on 127.0.0.1, opens one page in a fresh profile, streams the program's
// stdout/stderr to ours, and forwards SXWEB_* environment variables to Go.
// The origin's storage quota is set to 16 MB (SXWEB_TEST_QUOTA_OVERRIDE
// bytes) and reported to Go as SXWEB_TEST_QUOTA.
// Chromium: /usr/bin/chromium (override with CHROMIUM), playwright-core pinned
// in the repo's package.json.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const [wasmPath, ...goArgs] = process.argv.slice(2);
if (!wasmPath) {
  console.error("usage: chromium.mjs prog.wasm [args...]");
  process.exit(2);
}
const goroot = process.env.GOROOT || execFileSync("go", ["env", "GOROOT"]).toString().trim();
const files = {
  "/wasm_exec.js": ["text/javascript", readFileSync(join(goroot, "lib/wasm/wasm_exec.js"))],
  "/prog.wasm": ["application/wasm", readFileSync(wasmPath)],
  "/favicon.ico": ["image/x-icon", Buffer.alloc(0)],
  "/": ["text/html", Buffer.from('<!doctype html><meta charset="utf-8"><title>go test</title><script src="/wasm_exec.js"></script>')],
};
const env = { TMPDIR: "/tmp", HOME: "/" };
for (const [k, v] of Object.entries(process.env)) if (k.startsWith("SXWEB_")) env[k] = v;

const server = createServer((req, res) => {
  const f = files[new URL(req.url, "http://x").pathname];
  if (!f) { res.writeHead(404).end(); return; }
  res.writeHead(200, { "content-type": f[0], "cache-control": "no-store" }).end(f[1]);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let exiting = false;
async function finish(code) {
  if (exiting) return;
  exiting = true;
  await browser.close().catch(() => {});
  server.close();
  process.exit(code);
}
process.on("SIGTERM", () => finish(143));
process.on("SIGINT", () => finish(130));

const page = await browser.newPage();
const out = { 1: process.stdout, 2: process.stderr };
await page.exposeFunction("__goWrite", (fd, text) => { (out[fd] || process.stderr).write(text); });
await page.exposeFunction("__goExit", (code) => finish(code));
page.on("pageerror", (err) => { process.stderr.write(`page error: ${err}\n`); finish(1); });
page.on("crash", () => { process.stderr.write("page crashed\n"); finish(1); });
page.on("console", (msg) => {
  if (msg.type() === "error" || msg.type() === "warning") process.stderr.write(`console.${msg.type()}: ${msg.text()}\n`);
});
await page.goto(origin + "/");
// A small storage quota for this origin, so tests can hit a real
// QuotaExceededError (idbstore's TestRealQuota); told to Go as SXWEB_TEST_QUOTA.
const quota = Number(process.env.SXWEB_TEST_QUOTA_OVERRIDE || 16 << 20);
try {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: quota });
  env.SXWEB_TEST_QUOTA = String(quota);
} catch (e) {
  process.stderr.write(`chromium runner: no quota override (${e.message}); quota tests will skip\n`);
}
await page.evaluate(async ({ argv, env }) => {
  const decoders = {};
  globalThis.fs.writeSync = (fd, buf) => {
    decoders[fd] ??= new TextDecoder("utf-8");
    globalThis.__goWrite(fd, decoders[fd].decode(buf, { stream: true }));
    return buf.length;
  };
  const go = new Go();
  go.argv = argv;
  go.env = env;
  go.exit = (code) => globalThis.__goExit(code);
  const { instance } = await WebAssembly.instantiateStreaming(fetch("/prog.wasm"), go.importObject);
  go.run(instance).catch((err) => { globalThis.__goWrite(2, `go.run: ${err}\n`); globalThis.__goExit(1); });
}, { argv: ["prog.wasm", ...goArgs], env });
// The program exits through __goExit; go test's -timeout kills us otherwise.
