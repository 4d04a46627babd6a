// files-bench.mjs — the numbers of issue 11 (docs/browser-numbers.md, "Files"): a
// file sent between two browsers through cmd/serve's file relay, in headless
// Chromium with the real wasm:
//
//   ./build.sh wasm && node e2e/files-bench.mjs [--mb 1,10,100] [--at-rest false]
//
// For each size (default 100 MB) a fresh pair: alice and bob, each in a browser
// context of their own with the core in mode "page" (on the page's thread, so
// the page sees the wasm Memory: globalThis.__sxwebGo.mem; in the app the core
// runs in a SharedWorker, the same Go code), become contacts by a one-time
// invitation. Alice's page makes the file: random bytes, 1 MiB at a time,
// appended to a Blob (Blob parts are referenced, not copied: the page never
// holds the file twice, nor whole in its JS heap), and the SHA-256 of each
// 4 MiB slice. Then:
//   - upload: sendFile until alice's "file" event says "sent" (stored
//     (sealed at rest, by default), encrypted, uploaded, the description
//     sent); sendFile's own time is printed too;
//   - the relay's chunk files under the data directory, against the file size;
//   - download: bob's downloadFile once his message says "available", until his
//     "file" event says "done"; getFile's Blob: its size and the SHA-256 of
//     each 4 MiB slice compared with alice's;
//   - memory: both pages' wasm Memory (buffer.byteLength: it only grows, so
//     its peak is its last value) and JS heap (CDP Runtime.getHeapUsage,
//     usedSize), sampled every 100 ms from before the file exists until the
//     download is checked, against their values once the contact is made.
// FILES_BENCH_VERBOSE=1 also prints each file relay request as the page's
// fetch saw it (its time from the call to the whole answer) and as the
// network saw it. The load average (os.loadavg) is printed with every row: the machine may be
// shared. It prints numbers only; nothing in it asserts a time.
import { mkdtempSync, readdirSync, statSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, until, watch, haveWasm } from "./lib.mjs";

const argv = process.argv;
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i > 0 ? argv[i + 1] : def; };
const SIZES = opt("mb", "100").split(",").map(Number);
const AT_REST = opt("at-rest", "true") !== "false";
// --profile PREFIX: CPU profiles of alice's page while she uploads and of
// bob's while he downloads (PREFIX-up-MB.cpuprofile, PREFIX-down-MB.cpuprofile;
// open them in DevTools), their top functions by self time printed.
const PROFILE = opt("profile", "");
const MB = 1e6;

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }
const data = mkdtempSync(join(tmpdir(), "sxweb-files-bench-"));
process.on("exit", () => rmSync(data, { recursive: true, force: true }));
const server = await startServer({ data });
const browser = await launch();
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

/** Bytes of the relay's chunk files now. */
function chunkBytes() {
  const dir = join(data, "files", "chunks");
  try { return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0); } catch { return 0; }
}

/** A person: a context, a page with the core in mode "page", a profile, a sampler. */
async function person(name, run) {
  const ctx = await browser.newContext({ serviceWorkers: "block" });
  const page = await ctx.newPage();
  watch(page, name);
  if (process.env.FILES_BENCH_VERBOSE) {
    await ctx.addInitScript(() => {
      const f = globalThis.fetch;
      globalThis.fetch = async (url, init) => {
        const t = performance.now();
        const r = await f(url, init);
        const b = await r.arrayBuffer();
        if (String(url).includes("/files/")) console.log(`fetch ${init?.method} ${String(url).split("/files/")[1].slice(0, 12)} ${init?.body?.length ?? init?.body?.size ?? 0} bytes: ${(performance.now() - t).toFixed(0)} ms`);
        return new Response([101, 204, 205, 304].includes(r.status) ? null : b, { status: r.status, headers: r.headers });
      };
    });
    page.on("console", (m) => { if (m.text().startsWith("fetch ")) console.error(`[${name}] ${m.text()}`); });
    const t0 = Date.now();
    page.on("requestfinished", async (r) => {
      if (!r.url().includes("/files/")) return;
      const t = r.timing(), resp = await r.response();
      console.error(`[${name}] ${((Date.now() - t0) / 1000).toFixed(2)} s ${r.method()} ${r.url().split("/files/")[1].slice(0, 12)} ${resp?.status()} ${(t.responseEnd).toFixed(0)} ms`);
    });
  }
  await page.goto(`${server.url}web/embed.html`);
  await page.evaluate(async ([db, atRest]) => {
    const { start } = await import("/web/simplex.js");
    globalThis.chat = await start({ db, mode: "page", atRest });
    await chat.setProfile({ displayName: db, fullName: "" });
    globalThis.fileEvents = [];
    chat.on("file", (ev) => fileEvents.push({ ...ev, at: performance.now() }));
  }, [`${name}${run}`, AT_REST]);
  const cdp = await ctx.newCDPSession(page);
  const p = { name, ctx, page, cdp, wasm: 0, heap: 0, wasm0: 0, heap0: 0 };
  p.sample = async () => {
    const [wasm, heap] = await Promise.all([
      page.evaluate(() => globalThis.__sxwebGo?.mem?.buffer?.byteLength || 0),
      cdp.send("Runtime.getHeapUsage").then((h) => h.usedSize),
    ]);
    p.wasm = Math.max(p.wasm, wasm);
    p.heap = Math.max(p.heap, heap);
    return { wasm, heap };
  };
  return p;
}

/** Samples both pages every 100 ms until stopped (an evaluate may wait for a busy page: that is fine). */
function sampler(ps) {
  let on = true;
  const loop = (async () => {
    while (on) {
      await Promise.all(ps.map((p) => p.sample().catch(() => {})));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => { on = false; await loop; };
}

// The page's code: the file, and the SHA-256 of each 4 MiB slice of a Blob.
const MAKE_FILE = async (bytes) => {
  let blob = new Blob([]);
  for (let off = 0; off < bytes; off += 1 << 20) {
    const piece = new Uint8Array(Math.min(1 << 20, bytes - off));
    for (let k = 0; k < piece.length; k += 65536) crypto.getRandomValues(piece.subarray(k, k + 65536));
    blob = new Blob([blob, piece]); // references the parts so far: no copy of them
  }
  globalThis.bench = new File([blob], "bench.bin", { type: "application/octet-stream" });
};
const SLICE_DIGESTS = async (blob) => {
  const out = [];
  for (let off = 0; off < blob.size; off += 4 << 20) {
    const d = await crypto.subtle.digest("SHA-256", await blob.slice(off, off + (4 << 20)).arrayBuffer());
    out.push([...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join(""));
  }
  return out;
};

async function run(mb, k) {
  const bytes = Math.round(mb * MB);
  const alice = await person("alice", k), bob = await person("bob", k);
  const { link, contactId } = await alice.page.evaluate(() => chat.createInvitation());
  const bobContact = (await bob.page.evaluate((l) => chat.connect(l), link)).contactId;
  await bob.page.evaluate((c) => chat.sendDirectMessage(c, "hi"), bobContact);
  await until(async () => (await alice.page.evaluate((c) => chat.contacts(), null)).find((c) => c.contactId === contactId)?.status === "connected",
    { what: "alice and bob connected", timeout: 120000 });
  for (const p of [alice, bob]) { const s = await p.sample(); p.wasm0 = s.wasm; p.heap0 = s.heap; }
  const stop = sampler([alice, bob]);
  const chunks0 = chunkBytes();

  await alice.page.evaluate(MAKE_FILE, bytes);
  const sent = await alice.page.evaluate(SLICE_DIGESTS, await alice.page.evaluateHandle(() => bench));
  const loadUp = load();
  if (PROFILE) await profile(alice).start();
  const up = await alice.page.evaluate(async ([c, text]) => {
    const t0 = performance.now();
    const { messageId } = await chat.sendFile({ contactId: c }, bench, { text });
    const resolved = performance.now() - t0;
    globalThis.bench = null; // the core holds its stored copy now
    for (;;) {
      const ev = fileEvents.find((e) => e.messageId === messageId && e.state === "sent");
      if (ev) return { messageId, resolved, sent: ev.at - t0 };
      const bad = fileEvents.find((e) => e.messageId === messageId && (e.state === "failed" || e.state === "cancelled"));
      if (bad) throw new Error(`upload ${bad.state}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }, [contactId, `a file of ${mb} MB`]);
  const relayBytes = chunkBytes() - chunks0;
  if (PROFILE) await profile(alice).stop(`${PROFILE}-up-${mb}`);
  console.error(`${mb} MB: sendFile resolved in ${(up.resolved / 1000).toFixed(2)} s, sent in ${(up.sent / 1000).toFixed(2)} s (${(mb / (up.sent / 1000)).toFixed(1)} MB/s); relay chunks ${relayBytes} bytes (${(relayBytes / bytes).toFixed(4)} × the file); load ${loadUp}`);

  const loadDown = load();
  if (PROFILE) await profile(bob).start();
  const down = await bob.page.evaluate(async ([c, size]) => {
    let msg;
    for (let i = 0; !msg; i++) {
      msg = (await chat.messages({ contactId: c })).find((m) => m.file && m.file.state === "available");
      if (!msg) await new Promise((r) => setTimeout(r, 100));
      if (i > 3000) throw new Error("no file available at bob's");
    }
    const t0 = performance.now();
    const wait = chat.downloadFile(msg.messageId);
    for (;;) {
      const ev = fileEvents.find((e) => e.messageId === msg.messageId && e.state === "done");
      if (ev) { await wait; return { messageId: msg.messageId, done: ev.at - t0, size: msg.file.size === size }; }
      const bad = fileEvents.find((e) => e.messageId === msg.messageId && (e.state === "failed" || e.state === "cancelled"));
      if (bad) throw new Error(`download ${bad.state}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }, [bobContact, bytes]);
  if (PROFILE) await profile(bob).stop(`${PROFILE}-down-${mb}`);
  const got = await bob.page.evaluateHandle((id) => chat.getFile(id), down.messageId);
  const gotSize = await got.evaluate((b) => b.size);
  const received = await bob.page.evaluate(SLICE_DIGESTS, got);
  await stop();
  const same = gotSize === bytes && received.length === sent.length && received.every((d, i) => d === sent[i]);
  console.error(`${mb} MB: downloaded in ${(down.done / 1000).toFixed(2)} s (${(mb / (down.done / 1000)).toFixed(1)} MB/s); getFile ${gotSize} bytes, ${same ? "the same bytes (SHA-256 of every 4 MiB slice)" : "NOT THE SAME BYTES"}; load ${loadDown}`);
  const row = {
    mb, up: mb / (up.sent / 1000), resolved: up.resolved, down: mb / (down.done / 1000), same, relay: relayBytes / bytes,
    aliceWasm: [alice.wasm0, alice.wasm], bobWasm: [bob.wasm0, bob.wasm], aliceHeap: [alice.heap0, alice.heap], bobHeap: [bob.heap0, bob.heap],
    load: `${loadUp} / ${loadDown}`,
  };
  for (const p of [alice, bob]) {
    await p.page.evaluate(() => chat.close()).catch(() => {});
    await p.ctx.close();
  }
  if (!same) process.exitCode = 1;
  return row;
}

/** Chrome's sampling profiler on a page (wasm functions by name). */
function profile(p) {
  return {
    async start() {
      await p.cdp.send("Profiler.enable");
      await p.cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
      await p.cdp.send("Profiler.start");
    },
    async stop(name) {
      const { profile } = await p.cdp.send("Profiler.stop");
      writeFileSync(`${name}.cpuprofile`, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map();
      profile.samples.forEach((id, i) => {
        const f = byId.get(id).callFrame.functionName || "(anonymous)";
        self.set(f, (self.get(f) || 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
      });
      const total = [...self.values()].reduce((a, b) => a + b, 0);
      console.error(`${name}: ${total.toFixed(0)} ms sampled; top self time:`);
      for (const [f, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
        console.error(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${f}`);
      }
    },
  };
}

const rows = [];
try {
  for (const [k, mb] of SIZES.entries()) rows.push(await run(mb, k));
} finally {
  await browser.close();
  await server.stop();
}
const m = (x) => (x / MB).toFixed(1);
const pair = ([a, b]) => `${m(a)} → ${m(b)}`;
console.log(`Encryption at rest: ${AT_REST ? "on (the default)" : "off"}; wasm and heap in MB, before the file → peak.`);
console.log("| file | upload | sendFile resolves | download | relay stores | bytes equal | alice wasm | bob wasm | alice JS heap | bob JS heap | load (1, 5, 15 min) up / down |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.mb} MB | ${r.up.toFixed(1)} MB/s | ${(r.resolved / 1000).toFixed(2)} s | ${r.down.toFixed(1)} MB/s | ${r.relay.toFixed(4)} × | ${r.same ? "yes" : "NO"} | ${pair(r.aliceWasm)} | ${pair(r.bobWasm)} | ${pair(r.aliceHeap)} | ${pair(r.bobHeap)} | ${r.load} |`);
}
