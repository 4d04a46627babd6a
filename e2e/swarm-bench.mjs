// swarm-bench.mjs — a browser tab among native members (docs/browser-numbers.md,
// docs/group-benchmarks.md): the browser's own cost of joining a group and of
// sending to it, with every other member a native Go client in one swarm
// process (internal/swarm) on the same relay.
//
//   ./build.sh wasm && node e2e/swarm-bench.mjs [--sizes 2,8,20,100] [--messages 3]
//
// For each size K (the other members): the swarm builds a group of K natives
// (once), the tab joins it by link (timed until every member is connected to
// it), then sends --messages messages, each timed until sendGroupMessage()
// resolves and until all K natives have it; IndexedDB readwrite transactions
// opened by the tab are counted from the send until 4 s later (send, fan-out,
// receipts); the tab's JS heap and wasm memory are read after the sends.
import { spawn } from "node:child_process";
import { startServer, launch, until, root, haveWasm } from "./lib.mjs";

const argv = process.argv;
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i > 0 ? argv[i + 1] : def; };
const SIZES = opt("sizes", "2,8,20,100").split(",").map(Number);
const MESSAGES = Number(opt("messages", "3"));
const WINDOW = Number(opt("window", "4000"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }

async function startSwarm(relay) {
  const proc = spawn("go", ["run", "./internal/swarm", "-relay", relay], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => { out += d; const m = out.match(/swarm (http:\/\/\S+\/)/); if (m) resolve(m[1]); });
    proc.on("exit", (c) => reject(new Error(`swarm exited ${c}`)));
  });
  return {
    url,
    async post(path) { const r = await fetch(url + path, { method: "POST" }); if (!r.ok) throw new Error(`${path}: ${await r.text()}`); return r.json(); },
    async get(path) { const r = await fetch(url + path); if (!r.ok) throw new Error(`${path}: ${await r.text()}`); return r.json(); },
    async stop() { try { await this.post("quit"); } catch {} proc.kill(); },
  };
}

// Counts IndexedDB readwrite transactions the page opens (globalThis.__idbRW).
const COUNT_IDB = () => {
  globalThis.__idbRW = 0;
  const orig = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    if (mode === "readwrite") globalThis.__idbRW++;
    return orig.call(this, stores, mode, ...rest);
  };
};

const server = await startServer();
const swarm = await startSwarm(server.relay);
const browser = await launch();
const rows = [];
try {
  for (const K of SIZES) {
    const g = await swarm.post(`group?n=${K}`);
    console.error(`swarm: group of ${K} natives ready (built in ${g.seconds.toFixed(1)} s)`);
    const ctx = await browser.newContext();
    await ctx.addInitScript(COUNT_IDB);
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error(`pageerror: ${e.message}`));
    await page.goto(`${server.url}web/embed.html`);
    const joined = await page.evaluate(async ([link, K]) => {
      const { start } = await import("/web/simplex.js");
      // mode "page": the core on this page's thread, where __idbRW and __sxwebGo can see it
      globalThis.chat = await start({ db: `swarm${K}`, mode: "page" });
      await chat.setProfile({ displayName: "browser", fullName: "" });
      const rw0 = __idbRW;
      const t0 = performance.now();
      const { groupId } = await chat.joinGroup(link, {});
      globalThis.gid = groupId;
      for (;;) {
        const ms = await chat.members(groupId);
        if (ms.filter((m) => m.connection === "direct").length >= K) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { ms: performance.now() - t0, rw: __idbRW - rw0 };
    }, [g.link, K]);
    console.error(`K=${K}: joined, connected to all in ${joined.ms.toFixed(0)} ms (${joined.rw} readwrite transactions)`);
    await until(() => page.evaluate(async () => (await chat.stats()).pendingDeliveries === 0), { what: "nothing pending", timeout: 600000, interval: 200 });
    await new Promise((r) => setTimeout(r, 2000));
    const resolved = [], all = [], txs = [];
    for (let k = 0; k < MESSAGES; k++) {
      const text = `to ${K} members, message ${k} ${Date.now()}`;
      const s = await page.evaluate(async (text) => {
        const rw0 = __idbRW;
        const t0 = performance.now();
        await chat.sendGroupMessage(gid, text);
        return { resolved: performance.now() - t0, rw0, at: Date.now() - (performance.now() - t0) };
      }, text);
      const r = await until(async () => { const r = await swarm.get(`received?size=${K}&text=${encodeURIComponent(text)}`); return r.count >= K ? r : null; },
        { what: `all ${K} got it`, timeout: 600000, interval: 20 });
      const wait = s.at + WINDOW - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const rw = await page.evaluate((rw0) => __idbRW - rw0, s.rw0);
      resolved.push(s.resolved); all.push(Math.round(r.lastMs - s.at)); txs.push(rw);
      console.error(`K=${K} message ${k}: resolved ${s.resolved.toFixed(1)} ms, all have it ${Math.round(r.lastMs - s.at)} ms, ${rw} readwrite transactions in ${WINDOW} ms`);
    }
    const mem = await page.evaluate(() => ({ heap: performance.memory?.usedJSHeapSize || 0, wasm: globalThis.__sxwebGo?.mem?.buffer?.byteLength || 0 }));
    rows.push({ K, join: joined.ms, joinRW: joined.rw, resolved: median(resolved), all: median(all), rw: median(txs), heap: mem.heap, wasm: mem.wasm });
    await page.evaluate(() => chat.close());
    await ctx.close();
  }
} finally {
  await browser.close();
  await swarm.stop();
  await server.stop();
}
const f1 = (x) => x.toFixed(1);
console.log("| other members | tab joins, all connected | readwrite tx to join | sendGroupMessage resolves | all have it | readwrite tx per message (4 s) | JS heap | wasm memory |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.K} | ${(r.join / 1000).toFixed(2)} s | ${r.joinRW} | ${f1(r.resolved)} ms | ${r.all} ms | ${r.rw} | ${(r.heap / 1e6).toFixed(1)} MB | ${(r.wasm / 1e6).toFixed(1)} MB |`);
}
