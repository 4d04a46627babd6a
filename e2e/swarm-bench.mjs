// swarm-bench.mjs — a browser tab among native members (docs/browser-numbers.md,
// docs/group-benchmarks.md): the browser's own cost of joining a group and of
// sending to it, with every other member a native Go client in one swarm
// process (internal/swarm) on the same relay.
//
//   ./build.sh wasm && node e2e/swarm-bench.mjs [--sizes 2,8,20,100] [--messages 3] [--data DIR]
//
// --data keeps the relay's data and the natives' stores in DIR: a group is
// built once (a 1,000-member one takes minutes) and reused by later runs.
// The relay's address must then stay the same: --port (default 18088).
//
// For each size K (the other members): the swarm builds a group of K natives
// (once), the tab joins it by link (timed until every member is connected to
// it), then sends --messages messages, each timed until sendGroupMessage()
// resolves and until all K natives have it; IndexedDB readwrite transactions
// opened by the tab are counted from the send until 4 s later (send, fan-out,
// receipts); the tab's JS heap and wasm memory are read after the sends.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launch, until, root, haveWasm } from "./lib.mjs";

const argv = process.argv;
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i > 0 ? argv[i + 1] : def; };
const SIZES = opt("sizes", "2,8,20,100").split(",").map(Number);
const MESSAGES = Number(opt("messages", "5"));
const WINDOW = Number(opt("window", "4000"));
const DATA = opt("data", "");
const PORT = opt("port", "18088");
// --profile PREFIX: CPU profiles of the tab (Chrome's sampling profiler,
// wasm functions by name) while it joins and while it sends, written to
// PREFIX-join-K.cpuprofile and PREFIX-send-K.cpuprofile (open them in
// DevTools), and their top functions by self time printed.
const PROFILE = opt("profile", "");
// --file MB: after the messages, the tab sends a file of MB megabytes to
// the group: timed until sendFile resolves, until the tab's upload is done
// and every member's description sent (its own file event "sent"), until
// all K have it available; then --downloaders natives (default 10)
// download it at once. The tab's wasm memory is sampled meanwhile.
const FILE_MB = Number(opt("file", "0"));
const DOWNLOADERS = Number(opt("downloaders", "10"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }

async function startSwarm(relay) {
  const args = ["run", "./internal/swarm", "-relay", relay];
  if (DATA) args.push("-data", join(DATA, "swarm"));
  const proc = spawn("go", args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
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

// Every native member connects from 127.0.0.1, standing for a thousand
// machines: the relay's per-address limits are off (its per-session ones
// stay as deployed).
const perAddrOff = ["-max-conns-per-ip", "-1", "-new-burst-per-ip", "-1", "-max-subs-per-ip", "-1"];
const server = DATA
  ? await startServer({ data: join(DATA, "relay"), args: ["-addr", `127.0.0.1:${PORT}`, ...perAddrOff] })
  : await startServer({ args: perAddrOff });
const swarm = await startSwarm(server.relay);
const browser = await launch();
const rows = [];
try {
  for (const K of SIZES) {
    const g = await until(async () => { const r = await swarm.post(`group?n=${K}`); return r.building ? null : r; },
      { what: `the swarm's group of ${K}`, timeout: 4 * 3600 * 1000, interval: 2000 });
    console.error(`swarm: group of ${K} natives ready (built in ${g.seconds.toFixed(1)} s)`);
    const ctx = await browser.newContext();
    await ctx.addInitScript(COUNT_IDB);
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error(`pageerror: ${e.message}`));
    await page.goto(`${server.url}web/embed.html`);
    const cdp = PROFILE ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
      await cdp.send("Profiler.start");
    }
    const joined = await page.evaluate(async ([link, K]) => {
      const { start } = await import("/web/simplex.js");
      // mode "page": the core on this page's thread, where __idbRW and __sxwebGo can see it
      globalThis.chat = await start({ db: `swarm${K}`, mode: "page" });
      await chat.setProfile({ displayName: "browser", fullName: "" });
      // Connected members are counted from the member events (as a UI
      // would follow them); members() is asked once at the end: polling
      // it would cost the tab as much as the join itself.
      const direct = new Map();
      chat.on("member", (m) => { if (m.connection === "direct") direct.set(m.groupId + "/" + m.memberId, true); });
      const rw0 = __idbRW;
      const t0 = performance.now();
      const { groupId } = await chat.joinGroup(link, {});
      globalThis.gid = groupId;
      const count = () => [...direct.keys()].filter((k) => k.startsWith(groupId + "/")).length;
      while (count() < K) await new Promise((r) => setTimeout(r, 50));
      const ms = performance.now() - t0;
      const listed = (await chat.members(groupId)).filter((m) => m.connection === "direct").length;
      if (listed < K) throw new Error(`members() lists ${listed} connected, the events said ${K}`);
      return { ms, rw: __idbRW - rw0 };
    }, [g.link, K]);
    console.error(`K=${K}: joined, connected to all in ${joined.ms.toFixed(0)} ms (${joined.rw} readwrite transactions)`);
    if (cdp) {
      saveProfile(`${PROFILE}-join-${K}`, (await cdp.send("Profiler.stop")).profile);
      await cdp.send("Profiler.start");
    }
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
    if (cdp) saveProfile(`${PROFILE}-send-${K}`, (await cdp.send("Profiler.stop")).profile);
    let file = null;
    if (FILE_MB > 0) file = await sendFileTo(page, K, FILE_MB);
    const mem = await page.evaluate(() => ({ heap: performance.memory?.usedJSHeapSize || 0, wasm: globalThis.__sxwebGo?.mem?.buffer?.byteLength || 0 }));
    rows.push({ K, join: joined.ms, joinRW: joined.rw, resolved: median(resolved), all: median(all), rw: median(txs), heap: mem.heap, wasm: mem.wasm, file });
    // leave, so that a reused group (--data) has no gone member left behind
    await page.evaluate(async () => {
      await chat.leaveGroup(gid);
      for (let i = 0; i < 200 && (await chat.stats()).pendingDeliveries > 0; i++) await new Promise((r) => setTimeout(r, 50));
      await chat.close();
    });
    await ctx.close();
  }
} finally {
  await browser.close();
  await swarm.stop();
  await server.stop();
}
// sendFileTo has the tab send a file of mb MB to the group of K natives.
async function sendFileTo(page, K, mb) {
  const text = `file of ${mb} MB to ${K} ${Date.now()}`;
  const s = await page.evaluate(async ([text, mb]) => {
    const bytes = new Uint8Array(mb << 20);
    for (let off = 0; off < bytes.length; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
    const blob = new Blob([bytes], { type: "application/octet-stream" });
    globalThis.__fileSent = null;
    globalThis.__wasmPeak = 0;
    const sample = setInterval(() => { __wasmPeak = Math.max(__wasmPeak, globalThis.__sxwebGo?.mem?.buffer?.byteLength || 0); }, 50);
    const sentIds = new Set();
    let wake = () => {};
    const off = chat.on("file", (ev) => { if (ev.state === "sent") { sentIds.add(ev.messageId); wake(); } });
    const t0 = performance.now();
    const { messageId } = await chat.sendFile({ groupId: gid }, blob, { name: "bench.bin", text });
    const resolved = performance.now() - t0;
    while (!sentIds.has(messageId)) await new Promise((res) => { wake = res; });
    off();
    clearInterval(sample);
    return { resolved, sent: performance.now() - t0, at: Date.now() - (performance.now() - t0), peak: __wasmPeak };
  }, [text, mb]);
  const r = await until(async () => { const r = await swarm.get(`files?size=${K}&text=${encodeURIComponent(text)}`); return r.count >= K ? r : null; },
    { what: `all ${K} have the file`, timeout: 1800000, interval: 100 });
  const d = await swarm.post(`download?size=${K}&n=${DOWNLOADERS}&text=${encodeURIComponent(text)}`);
  const out = { mb, resolved: s.resolved, uploaded: s.sent, all: r.lastMs - s.at, download: d.ms, peak: s.peak };
  console.error(`K=${K} file ${mb} MB: sendFile resolved ${s.resolved.toFixed(0)} ms, uploaded and described ${(s.sent / 1000).toFixed(1)} s (${(mb / (s.sent / 1000)).toFixed(1)} MB/s), all ${K} have it ${((r.lastMs - s.at) / 1000).toFixed(1)} s, ${DOWNLOADERS} natives downloaded it in ${(d.ms / 1000).toFixed(1)} s, tab's wasm memory peak ${(s.peak / 1e6).toFixed(1)} MB`);
  return out;
}

// saveProfile writes a CPU profile and prints its top functions by self time.
function saveProfile(name, profile) {
  writeFileSync(`${name}.cpuprofile`, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame.functionName || `(${n.callFrame.url.split("/").pop() || "anonymous"})`;
    self.set(f, (self.get(f) || 0) + (dt[i + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.error(`${name}: ${total.toFixed(0)} ms sampled; top self time:`);
  for (const [f, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.error(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${f}`);
  }
}

const f1 = (x) => x.toFixed(1);
console.log("| other members | tab joins, all connected | readwrite tx to join | sendGroupMessage resolves | all have it | readwrite tx per message (4 s) | JS heap | wasm memory |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.K} | ${(r.join / 1000).toFixed(2)} s | ${r.joinRW} | ${f1(r.resolved)} ms | ${r.all} ms | ${r.rw} | ${(r.heap / 1e6).toFixed(1)} MB | ${(r.wasm / 1e6).toFixed(1)} MB |`);
}
if (FILE_MB > 0) {
  console.log("");
  console.log(`| other members | sendFile resolves | uploaded, every description sent | all have it available | ${DOWNLOADERS} download at once | tab's wasm memory peak |`);
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of rows.filter((r) => r.file)) {
    const f = r.file;
    console.log(`| ${r.K} | ${f.resolved.toFixed(0)} ms | ${(f.uploaded / 1000).toFixed(1)} s | ${(f.all / 1000).toFixed(1)} s | ${(f.download / 1000).toFixed(1)} s | ${(f.peak / 1e6).toFixed(1)} MB |`);
  }
}
