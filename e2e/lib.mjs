// lib.mjs — shared helpers of the end-to-end tests and the bench: build and run
// cmd/serve on a free port with a temp data dir, launch Debian's Chromium through
// playwright-core, poll until a condition holds, save screenshots; storySuite, the
// before/after hooks of the step-by-step stories on the real core; apiPage and call,
// to drive the JS API in a page; startSwarm, native members for the benchmarks.
import { chromium } from "playwright-core";
import { test as nodeTest, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const webDir = join(root, "build", "web");
export const shotsDir = join(root, "e2e", "screenshots");

/** True when build/web holds a real wasm (./build.sh wasm ran after wasm/ landed). */
export function haveWasm() {
  const p = join(webDir, "web", "app.wasm");
  return existsSync(p) && statSync(p).size > 0;
}

let serveBin = null;
function buildServe() {
  if (serveBin) return serveBin;
  const dir = mkdtempSync(join(tmpdir(), "sxweb-e2e-bin-"));
  serveBin = join(dir, "serve");
  execFileSync("go", ["build", "-o", serveBin, "./cmd/serve"], { cwd: root, stdio: "inherit", env: { ...process.env, GOOS: "", GOARCH: "" } });
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return serveBin;
}

/**
 * Starts cmd/serve on 127.0.0.1:0 with a fresh data dir (or `data`, kept after
 * stop); resolves {url, relay, stop}. `args` are extra flags of cmd/serve.
 */
export async function startServer({ web = webDir, data: keep, args = [] } = {}) {
  const bin = buildServe();
  const data = keep || mkdtempSync(join(tmpdir(), "sxweb-e2e-data-"));
  if (keep) mkdirSync(keep, { recursive: true });
  // stdin is a pipe the server watches: it stops when this process ends, however it ends.
  const proc = spawn(bin, ["-addr", "127.0.0.1:0", "-web", web, "-data", data, "-exit-on-stdin-eof", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error(`serve did not start: ${out}${log}`)), 30000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[^/\s]+\/)/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    proc.on("exit", (code) => { clearTimeout(t); reject(new Error(`serve exited ${code}: ${out}${log}`)); });
  });
  proc.stdout.resume();
  return {
    url,
    relay: url.replace(/^http/, "ws") + "relay",
    data, // the relay's data directory (the file relay's store under data/files)
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => proc.once("exit", r));
      }
      if (!keep) rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Launches headless Debian Chromium with the flags that work as root here. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** Polls fn until it returns a truthy value (or throws on timeout with the last value). */
export async function until(fn, { timeout = 60000, interval = 150, what = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last, err;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) { err = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}${err ? `; last error ${err.message}` : ""}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function shot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: false });
}

/** Forwards a page's console errors and uncaught exceptions to the test log. */
export function watch(page, who) {
  page.on("pageerror", (e) => console.error(`[${who}] pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") console.error(`[${who}] console: ${m.text()}`); });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * Starts the core once in a throwaway page: resolves null when it starts, or the
 * error code. Tests of the real core skip (saying why) when the wasm was built
 * before the connection agent was wired in (AGENT_UNAVAILABLE).
 */
export async function probeCore(browser, url) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${url}web/embed.html`);
    return await page.evaluate(async () => {
      const { start } = await import("/web/simplex.js");
      try { await (await start({ db: "probe" })).close(); return null; } catch (e) { return e.code || e.message; }
    });
  } finally {
    await ctx.close();
  }
}

/**
 * Registers the hooks of a story on the real core (api, app, incognito): build/web
 * must hold the wasm; before all steps it starts the served app and relay and one
 * Chromium, hands them to ready(server, browser), and probes the core; after all
 * steps it closes both. Returns the story's `test`: each step needs the previous
 * ones, so after a failure the rest are skipped, and all are skipped (saying why)
 * when the wasm has no connection agent yet (AGENT_UNAVAILABLE), or when
 * requires(server) names something the served build lacks. server: options of
 * startServer.
 */
export function storySuite(ready, { server: serverOptions = {}, requires = null } = {}) {
  let server, browser;
  let skip = "";
  before(async () => {
    assert.ok(haveWasm(), "build/web has no wasm: run ./build.sh wasm first");
    server = await startServer(serverOptions);
    browser = await launch();
    ready(server, browser);
    const code = await probeCore(browser, server.url);
    if (code === "AGENT_UNAVAILABLE") skip = "this wasm has no connection agent yet (AGENT_UNAVAILABLE)";
    else assert.equal(code, null, `the core does not start: ${code}`);
    if (!skip && requires) skip = await requires(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return (name, fn) => nodeTest(name, async (t) => {
    if (skip) return t.skip(skip);
    try { await fn(t); } catch (e) { skip = `an earlier step failed (${name})`; throw e; }
  });
}

/** A page of the served origin (url) that only imports simplex.js: the app UI never starts. */
export async function apiPage(ctx, url, name) {
  const page = await ctx.newPage();
  watch(page, name);
  await page.goto(`${url}web/embed.html`);
  return page;
}

/** Calls chat[method](...args) in u.page (the client started there); rejects with the error's code. */
export async function call(u, method, ...args) {
  const r = await u.page.evaluate(async ([m, a]) => {
    try { return { v: await globalThis.chat[m](...a) }; } catch (e) { return { code: e.code, message: e.message }; }
  }, [method, args]);
  if (r.code) throw Object.assign(new Error(`${u.name}.${method}: ${r.code} ${r.message}`), { code: r.code });
  return r.v;
}

/**
 * Runs internal/swarm (native members on relay, for benchmarks: a group of K
 * natives by POST /group?n=K, GET /received?text=T&size=K counts who has a
 * message). Resolves {url, post(path), get(path), stop()}.
 */
export async function startSwarm(relay) {
  const proc = spawn("go", ["run", "./internal/swarm", "-relay", relay], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => { out += d; const m = out.match(/swarm (http:\/\/\S+\/)/); if (m) resolve(m[1]); });
    proc.on("exit", (c) => reject(new Error(`swarm exited ${c}`)));
  });
  const ask = async (path, init) => {
    const r = await fetch(url + path, init);
    if (!r.ok) throw new Error(`swarm ${path}: ${await r.text()}`);
    return r.json();
  };
  return {
    url,
    post: (path) => ask(path, { method: "POST" }),
    get: (path) => ask(path),
    async stop() { try { await ask("quit", { method: "POST" }); } catch { /* gone already */ } proc.kill(); },
  };
}
