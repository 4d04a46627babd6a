// Measures the Go side's boot in headless Chromium: fetch + compile +
// instantiate app.wasm, Go runtime start until __sxwebReady, and open() of
// an empty database (relay unreachable: the offline boot path).
//   wasm/build.sh /tmp/web && node wasm/testrunner/boottime.mjs /tmp/web [runs]
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const runs = Number(process.argv[3] || 5);
const files = {
  "/app.wasm": ["application/wasm", readFileSync(join(dir, "app.wasm"))],
  "/wasm_exec.js": ["text/javascript", readFileSync(join(dir, "wasm_exec.js"))],
  "/": ["text/html", Buffer.from('<!doctype html><meta charset="utf-8"><script src="/wasm_exec.js"></script>')],
};
const server = createServer((req, res) => {
  const f = files[new URL(req.url, "http://x").pathname];
  if (!f) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": f[0] }).end(f[1]);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const rows = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin + "/");
  rows.push(await page.evaluate(async () => {
    const t0 = performance.now();
    const go = new Go();
    const ready = new Promise((r) => { globalThis.__sxwebReady = r; });
    const { instance } = await WebAssembly.instantiateStreaming(fetch("/app.wasm"), go.importObject);
    const t1 = performance.now();
    go.run(instance);
    await ready;
    const t2 = performance.now();
    const h = await globalThis.__sxweb.open({ db: "boot", relays: ["ws://127.0.0.1:9/relay"] });
    const t3 = performance.now();
    await h.close();
    return { instantiate: t1 - t0, goStart: t2 - t1, open: t3 - t2, total: t3 - t0 };
  }));
  await ctx.close();
}
await browser.close();
server.close();
const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)].toFixed(0);
console.log(`median of ${runs} (ms): fetch+compile+instantiate ${med("instantiate")}, Go start to ready ${med("goStart")}, open(empty db) ${med("open")}, total ${med("total")}`);
