// sw-update.test.mjs — the service worker's cache is versioned: an installed
// app serves its shell from the cache named by the build's version; a new build
// (a new version stamped into sw.js) installs a new worker, which replaces the
// cache, and the page says a new version is ready.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, until, watch, haveWasm, webDir } from "./lib.mjs";

let server, browser, web;

before(async () => {
  assert.ok(haveWasm(), "build/web has no wasm: run ./build.sh wasm first");
  web = mkdtempSync(join(tmpdir(), "sxweb-e2e-web-"));
  cpSync(webDir, web, { recursive: true });
  server = await startServer({ web });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(web, { recursive: true, force: true });
});

const cacheNames = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("sxweb-")));

test("a new build replaces the cached shell", async () => {
  const { version } = JSON.parse(readFileSync(join(web, "version.json"), "utf8"));
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  watch(page, "sw");
  await page.goto(server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await until(async () => JSON.stringify(await cacheNames(page)) === JSON.stringify([`sxweb-${version}`]), { what: "the first cache" });
  const cached = await page.evaluate(async (v) => (await (await caches.open(`sxweb-${v}`)).keys()).map((r) => new URL(r.url).pathname), version);
  for (const p of ["/", "/web/app.wasm", "/web/wasm_exec.js", "/web/simplex.js", "/web/app.js", "/web/manifest.webmanifest"]) {
    assert.ok(cached.includes(p), `${p} is cached (${cached.join(" ")})`);
  }

  // "rebuild": a changed app.js and a new version in sw.js
  const next = `${version}-next`;
  writeFileSync(join(web, "web", "app.js"), `${readFileSync(join(web, "web", "app.js"), "utf8")}\n// next build\n`);
  writeFileSync(join(web, "sw.js"), readFileSync(join(web, "sw.js"), "utf8").replace(version, next));
  await page.reload();
  await until(async () => JSON.stringify(await cacheNames(page)) === JSON.stringify([`sxweb-${next}`]), { what: "the new cache alone" });
  await page.waitForSelector("#banner:not([hidden])");
  assert.match(await page.locator("#banner").innerText(), /new version/);
  const body = await page.evaluate(async (v) => (await (await caches.open(`sxweb-${v}`)).match("/web/app.js")).text(), next);
  assert.match(body, /next build/);
  await ctx.close();
});
