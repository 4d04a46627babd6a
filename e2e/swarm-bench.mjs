// swarm-bench.mjs — a browser tab among native members (docs/browser-numbers.md,
// docs/group-benchmarks.md): the browser's own cost of joining a group and of
// sending to it, with every other member a native Go client in one swarm
// process (internal/swarm) on the same relay.
//
//   ./build.sh wasm && node e2e/swarm-bench.mjs [--sizes 2,8,20,100] [--messages 5] [--data DIR]
//       [--features] [--file MB [--downloaders N]] [--backup] [--profile PREFIX]
//
// Put DIR on tmpfs (/dev/shm): a thousand natives' bbolt fsyncs otherwise
// measure the disk. Record the load average with every run.
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
import { readdirSync, statSync, writeFileSync } from "node:fs";
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
// wasm functions by name) while it joins, while it sends, while the
// natives react (--features) and while it sends a file (--file), written
// to PREFIX-join-K.cpuprofile, PREFIX-send-K, PREFIX-reactions-K and
// PREFIX-file-K (open them in DevTools), and their top functions by self
// time printed.
const PROFILE = opt("profile", "");
// --file MB: after the messages, the tab sends a file of MB megabytes to
// the group: timed until sendFile resolves, until the tab's upload is done
// and every member's description sent (its own file event "sent"), until
// all K have it available; then --downloaders natives (default 10)
// download it at once. The tab's wasm memory is sampled meanwhile.
const FILE_MB = Number(opt("file", "0"));
const DOWNLOADERS = Number(opt("downloaders", "10"));
// --features: after the messages, the tab edits message 0, reacts to
// message 1, deletes message 2 for everyone and sends a reply quoting
// message 3 that mentions one native; each timed until the call resolves
// and until all K natives have applied it. Then every native reacts to
// message 4: timed until the tab's message shows K reactions, counting
// the update events the tab got meanwhile.
const FEATURES = argv.includes("--features");
// --backup: at the end, the tab exports its account (time, size), closes,
// and a fresh browser context imports it and starts (times); the
// restored tab re-synchronizes every connection (its ratchets may be
// stale): timed until a message from it reaches all K and one from a
// native reaches it.
const BACKUP = argv.includes("--backup");
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
    let ctx = await browser.newContext();
    await ctx.addInitScript(COUNT_IDB);
    let page = await ctx.newPage();
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
    const resolved = [], all = [], txs = [], sent = [];
    for (let k = 0; k < MESSAGES; k++) {
      const text = `to ${K} members, message ${k} ${Date.now()}`;
      const s = await page.evaluate(async (text) => {
        const rw0 = __idbRW;
        const t0 = performance.now();
        const { messageId } = await chat.sendGroupMessage(gid, text);
        return { resolved: performance.now() - t0, rw0, at: Date.now() - (performance.now() - t0), messageId };
      }, text);
      const r = await until(async () => { const r = await swarm.get(`received?size=${K}&text=${encodeURIComponent(text)}`); return r.count >= K ? r : null; },
        { what: `all ${K} got it`, timeout: 600000, interval: 20 });
      const wait = s.at + WINDOW - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const rw = await page.evaluate((rw0) => __idbRW - rw0, s.rw0);
      resolved.push(s.resolved); all.push(Math.round(r.lastMs - s.at)); txs.push(rw); sent.push({ text, id: s.messageId });
      console.error(`K=${K} message ${k}: resolved ${s.resolved.toFixed(1)} ms, all have it ${Math.round(r.lastMs - s.at)} ms, ${rw} readwrite transactions in ${WINDOW} ms`);
    }
    if (cdp) saveProfile(`${PROFILE}-send-${K}`, (await cdp.send("Profiler.stop")).profile);
    const feats = FEATURES ? await featuresTo(page, K, sent, cdp) : null;
    let file = null;
    if (FILE_MB > 0) file = await sendFileTo(page, K, FILE_MB, cdp);
    const mem = await page.evaluate(() => ({ heap: performance.memory?.usedJSHeapSize || 0, wasm: globalThis.__sxwebGo?.mem?.buffer?.byteLength || 0 }));
    let backup = null;
    if (BACKUP) ({ backup, ctx, page } = await backupAndRestore(browser, ctx, page, K));
    rows.push({ K, join: joined.ms, joinRW: joined.rw, resolved: median(resolved), all: median(all), rw: median(txs), heap: mem.heap, wasm: mem.wasm, file, feats, backup });
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
// featuresTo has the tab edit, react to, delete and reply to its messages
// (sent: [{text, id}], at least 5), then every native react to one.
async function featuresTo(page, K, sent, cdp) {
  if (sent.length < 5) throw new Error("--features needs --messages 5 or more");
  const out = {};
  // step runs fn in the tab (timed until it resolves) and waits until all
  // K natives show mark on the message first sent with text.
  const step = async (name, text, mark, fn, arg) => {
    const s = await page.evaluate(async ([fn, arg]) => {
      const rw0 = __idbRW;
      const t0 = performance.now();
      await (0, eval)(fn)(arg);
      return { resolved: performance.now() - t0, rw0, at: Date.now() - (performance.now() - t0) };
    }, [fn.toString(), arg]);
    const q = `received?size=${K}&text=${encodeURIComponent(text)}` + (mark ? `&mark=${encodeURIComponent(mark)}` : "");
    const r = await until(async () => { const r = await swarm.get(q); return r.count >= K ? r : null; },
      { what: `all ${K} saw ${name}`, timeout: 600000, interval: 20 });
    const rw = await page.evaluate((rw0) => __idbRW - rw0, s.rw0);
    out[name] = { resolved: s.resolved, all: r.lastMs - s.at, rw };
    console.error(`K=${K} ${name}: resolved ${s.resolved.toFixed(1)} ms, all ${K} applied it ${Math.round(r.lastMs - s.at)} ms (${rw} readwrite transactions until then)`);
  };
  const edited = `${sent[0].text}, edited`;
  await step("edit", sent[0].text, `edited:${edited}`, ([id, t]) => chat.editMessage(id, t), [sent[0].id, edited]);
  await step("react", sent[1].text, "reaction:👍:1", (id) => chat.react(id, "👍"), sent[1].id);
  await step("delete", sent[2].text, "deleted", (id) => chat.deleteMessage(id, { forEveryone: true }), sent[2].id);
  const native = await page.evaluate(async () => (await chat.members(gid)).find((m) => m.displayName.endsWith("-0001")));
  const reply = `@${native.displayName} a reply ${Date.now()}`;
  await step("reply", reply, "quoted", ([q, t, name, id]) => chat.sendGroupMessage(gid, t, { quote: q, mentions: { [name]: id } }),
    [sent[3].id, reply, native.displayName, native.memberId]);
  const mentioned = await swarm.get(`received?size=${K}&text=${encodeURIComponent(reply)}&mark=mentioned`);
  console.error(`K=${K} reply: ${mentioned.count} native(s) mentioned (want 1)`);
  out.mentioned = mentioned.count;
  // every native reacts to message 4: until the tab shows K reactions
  await page.evaluate((id) => {
    globalThis.__upd = { all: 0, mine: 0, at: 0, count: 0 };
    globalThis.__updOff = chat.on("update", (ev) => {
      __upd.all++;
      if (ev.messageId !== id) return;
      __upd.mine++;
      const n = ev.reactions.find((r) => r.emoji === "❤️")?.count || 0;
      if (n > __upd.count) { __upd.count = n; __upd.at = Date.now(); }
    });
  }, sent[4].id);
  if (cdp) await cdp.send("Profiler.start");
  const t0 = Date.now();
  const calls = await swarm.post(`react?size=${K}&emoji=${encodeURIComponent("❤️")}&text=${encodeURIComponent(sent[4].text)}`);
  const u = await until(async () => { const u = await page.evaluate(() => __upd); return u.count >= K ? u : null; },
    { what: `the tab shows ${K} reactions`, timeout: 1800000, interval: 100 });
  if (cdp) saveProfile(`${PROFILE}-reactions-${K}`, (await cdp.send("Profiler.stop")).profile);
  await new Promise((r) => setTimeout(r, 2000)); // late update events
  const fin = await page.evaluate(async (id) => {
    __updOff();
    const m = (await chat.messages({ groupId: gid })).find((m) => m.messageId === id);
    return { ...__upd, listed: m.reactions.find((r) => r.emoji === "❤️")?.count || 0 };
  }, sent[4].id);
  out.reactions = { calls: calls.ms, all: u.at - t0, events: fin.all, eventsOfIt: fin.mine, listed: fin.listed };
  console.error(`K=${K} ${K} natives react: their calls took ${(calls.ms / 1000).toFixed(1)} s, the tab shows ${K} reactions after ${((u.at - t0) / 1000).toFixed(1)} s; ${fin.all} update events (${fin.mine} of that message); messages() lists ${fin.listed}`);
  return out;
}

// backupAndRestore has the tab export its account, close, and a fresh
// context import and start it; then a message each way. Returns the
// restored context and page (the caller leaves the group with them).
async function backupAndRestore(browser, ctx, page, K) {
  const pass = "correct horse battery staple";
  const ex = await page.evaluate(async (pass) => {
    const t0 = performance.now();
    const blob = await chat.exportAccount({ passphrase: pass });
    const ms = performance.now() - t0;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 32768) bin += String.fromCharCode(...bytes.subarray(i, i + 32768));
    await chat.close();
    return { ms, size: bytes.length, b64: btoa(bin) };
  }, pass);
  await ctx.close();
  console.error(`K=${K} exportAccount: ${(ex.ms / 1000).toFixed(1)} s, ${(ex.size / 1e6).toFixed(2)} MB`);
  ctx = await browser.newContext();
  await ctx.addInitScript(COUNT_IDB);
  page = await ctx.newPage();
  page.on("pageerror", (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(`${server.url}web/embed.html`);
  const im = await page.evaluate(async ([b64, pass, K]) => {
    const { start, importAccount } = await import("/web/simplex.js");
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    let t0 = performance.now();
    await importAccount({ db: `swarm${K}`, data, passphrase: pass });
    const imported = performance.now() - t0;
    globalThis.__notices = 0;
    globalThis.__got = new Map();
    t0 = performance.now();
    globalThis.chat = await start({ db: `swarm${K}`, mode: "page" });
    const started = performance.now() - t0;
    chat.on("message", (ev) => {
      if (ev.system === "ratchetSync") __notices++;
      else if (!__got.has(ev.text)) __got.set(ev.text, Date.now());
    });
    globalThis.gid = (await chat.groups())[0].groupId;
    return { imported, started, at: Date.now() };
  }, [ex.b64, pass, K]);
  console.error(`K=${K} importAccount: ${(im.imported / 1000).toFixed(1)} s; start(): ${(im.started / 1000).toFixed(1)} s`);
  const text = `after the restore, to ${K} ${Date.now()}`;
  const s = await page.evaluate(async (text) => {
    const t0 = performance.now();
    await chat.sendGroupMessage(gid, text);
    return { resolved: performance.now() - t0, at: Date.now() - (performance.now() - t0) };
  }, text);
  const r = await until(async () => { const r = await swarm.get(`received?size=${K}&text=${encodeURIComponent(text)}`); return r.count >= K ? r : null; },
    { what: `all ${K} got the restored tab's message`, timeout: 1800000, interval: 100 });
  const back = `from a native to the restored tab ${Date.now()}`;
  const t1 = Date.now();
  await swarm.post(`send?size=${K}&i=1&text=${encodeURIComponent(back)}`);
  const gotAt = await until(() => page.evaluate((t) => __got.get(t) || null, back), { what: "the tab got the native's message", timeout: 600000, interval: 50 });
  const notices = await page.evaluate(() => __notices);
  const out = { exportMs: ex.ms, size: ex.size, importMs: im.imported, startMs: im.started, resolved: s.resolved,
    all: r.lastMs - s.at, allFromStart: r.lastMs - im.at, back: gotAt - t1, notices };
  console.error(`K=${K} restored tab: sendGroupMessage resolved ${s.resolved.toFixed(0)} ms, all ${K} have it ${((r.lastMs - s.at) / 1000).toFixed(1)} s (${((r.lastMs - im.at) / 1000).toFixed(1)} s after start resolved); a native's message reached it in ${(out.back / 1000).toFixed(1)} s; ${notices} ratchetSync notices`);
  return { backup: out, ctx, page };
}

// sendFileTo has the tab send a file of mb MB to the group of K natives.
async function sendFileTo(page, K, mb, cdp) {
  const text = `file of ${mb} MB to ${K} ${Date.now()}`;
  if (cdp) await cdp.send("Profiler.start");
  const before = { chunks: dirBytes(join(server.data, "files", "chunks")), db: dirBytes(join(server.data, "files", "files.db")) };
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
  if (cdp) saveProfile(`${PROFILE}-file-${K}`, (await cdp.send("Profiler.stop")).profile);
  // what the relay stores for it: the chunks' bytes (one copy, however
  // many recipients) and the growth of its metadata (a record per chunk
  // and recipient)
  const stored = dirBytes(join(server.data, "files", "chunks")) - before.chunks;
  const meta = dirBytes(join(server.data, "files", "files.db")) - before.db;
  console.error(`K=${K} file ${mb} MB: the relay stores ${(stored / 1e6).toFixed(2)} MB of chunks (${(stored / (mb << 20)).toFixed(3)}× the file), its metadata grew ${(meta / 1e6).toFixed(2)} MB`);
  const d = await swarm.post(`download?size=${K}&n=${DOWNLOADERS}&text=${encodeURIComponent(text)}`);
  const out = { mb, resolved: s.resolved, uploaded: s.sent, all: r.lastMs - s.at, download: d.ms, peak: s.peak, stored, meta };
  console.error(`K=${K} file ${mb} MB: sendFile resolved ${s.resolved.toFixed(0)} ms, uploaded and described ${(s.sent / 1000).toFixed(1)} s (${(mb / (s.sent / 1000)).toFixed(1)} MB/s), all ${K} have it ${((r.lastMs - s.at) / 1000).toFixed(1)} s, ${DOWNLOADERS} natives downloaded it in ${(d.ms / 1000).toFixed(1)} s, tab's wasm memory peak ${(s.peak / 1e6).toFixed(1)} MB`);
  return out;
}

// dirBytes is the size of a file, or of the files under a directory.
function dirBytes(path) {
  let st;
  try { st = statSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + dirBytes(join(path, f)), 0);
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
if (FEATURES) {
  console.log("");
  console.log("| other members | edit: resolves / all applied | react: resolves / all | delete for everyone: resolves / all | quoted reply with mention: resolves / all | K natives react: tab shows K | update events in the tab (of that message) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const ra = (x) => `${f1(x.resolved)} ms / ${Math.round(x.all)} ms`;
  for (const r of rows.filter((r) => r.feats)) {
    const f = r.feats;
    console.log(`| ${r.K} | ${ra(f.edit)} | ${ra(f.react)} | ${ra(f.delete)} | ${ra(f.reply)} | ${(f.reactions.all / 1000).toFixed(1)} s | ${f.reactions.events} (${f.reactions.eventsOfIt}) |`);
  }
}
if (BACKUP) {
  console.log("");
  console.log("| other members | exportAccount | backup size | importAccount | start() | restored tab's message: all have it | a native's message reaches it | ratchetSync notices |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows.filter((r) => r.backup)) {
    const b = r.backup;
    console.log(`| ${r.K} | ${(b.exportMs / 1000).toFixed(1)} s | ${(b.size / 1e6).toFixed(2)} MB | ${(b.importMs / 1000).toFixed(1)} s | ${(b.startMs / 1000).toFixed(1)} s | ${(b.all / 1000).toFixed(1)} s | ${(b.back / 1000).toFixed(1)} s | ${b.notices} |`);
  }
}
if (FILE_MB > 0) {
  console.log("");
  console.log(`| other members | sendFile resolves | uploaded, every description sent | all have it available | ${DOWNLOADERS} download at once | tab's wasm memory peak | relay stores (chunks / metadata) |`);
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows.filter((r) => r.file)) {
    const f = r.file;
    console.log(`| ${r.K} | ${f.resolved.toFixed(0)} ms | ${(f.uploaded / 1000).toFixed(1)} s | ${(f.all / 1000).toFixed(1)} s | ${(f.download / 1000).toFixed(1)} s | ${(f.peak / 1e6).toFixed(1)} MB | ${(f.stored / 1e6).toFixed(2)} MB / ${(f.meta / 1e6).toFixed(2)} MB |`);
  }
}
