// bench.mjs — the browser numbers of docs/browser-numbers.md:
//   ./build.sh bench                 (builds build/web, then runs this)
//   node e2e/bench.mjs [--messages 10000] [--members 20] [--runs 5] [--skip-group]
// 1. app.wasm raw / gzip -9 / brotli q11;
// 2. page load → ready (start() resolved) with N stored messages, in headless
//    Chromium, for the bare JS API page and for the app (index.html + service
//    worker), median of --runs reloads;
// 3. one message to a group of --members (all in this browser, one page each):
//    sendGroupMessage() resolved, last member received it, all delivered.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { startServer, launch, until, webDir, haveWasm } from "./lib.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MESSAGES = arg("messages", 10000);
const MEMBERS = arg("members", 20);
const RUNS = arg("runs", 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const rows = [];
const row = (what, value, note = "") => { rows.push([what, value, note]); console.error(`${what}: ${value} ${note}`); };

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }

// 1. size
const wasm = readFileSync(join(webDir, "web", "app.wasm"));
const gz = gzipSync(wasm, { level: 9 }).length;
const br = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } }).length;
row("app.wasm raw", mb(wasm.length), `${wasm.length} bytes`);
row("app.wasm gzip -9", mb(gz), `${gz} bytes`);
row("app.wasm brotli q11", mb(br), `${br} bytes (Matrix crypto: 1.44 MB, XMTP: 2.90 MB)`);

const server = await startServer();
const browser = await launch();

async function apiStart(page, db) {
  return page.evaluate(async (db) => {
    const t0 = performance.now();
    const { start } = await import("/web/simplex.js");
    globalThis.chat = await start({ db });
    return { sinceNavigation: performance.now(), start: performance.now() - t0 };
  }, db);
}

try {
  // 2. load → ready with MESSAGES stored
  if (!process.argv.includes("--skip-history")) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}web/embed.html`);
    await apiStart(page, "simplex");
    const t = Date.now();
    const groupId = await page.evaluate(async (n) => {
      await chat.setProfile({ displayName: "bench", fullName: "" });
      const { groupId } = await chat.createGroup({ displayName: "History", fullName: "", directMessages: "off" });
      for (let i = 0; i < n; i += 100) {
        const batch = [];
        for (let j = i; j < Math.min(n, i + 100); j++) batch.push(chat.sendGroupMessage(groupId, `message number ${j} with some ordinary length text`));
        await Promise.all(batch);
      }
      return groupId;
    }, MESSAGES);
    row(`store ${MESSAGES} messages (setup)`, `${((Date.now() - t) / 1000).toFixed(1)} s`, "sendGroupMessage in batches of 100, group without members");
    const api = [], listMs = [];
    for (let i = 0; i < RUNS; i++) {
      await page.reload();
      const r = await apiStart(page, "simplex");
      api.push(r.sinceNavigation);
      listMs.push(await page.evaluate(async (g) => {
        let t0 = performance.now();
        const m = await chat.messages({ groupId: g });
        const whole = performance.now() - t0;
        t0 = performance.now();
        const p = await chat.messages({ groupId: g, limit: 100 });
        const newest = performance.now() - t0;
        t0 = performance.now();
        await chat.messages({ groupId: g, limit: 100, before: p[0].messageId });
        return [whole, m.length, newest, performance.now() - t0];
      }, groupId));
    }
    row(`load → ready, JS API page, ${MESSAGES} stored`, `${median(api).toFixed(0)} ms`, `median of ${RUNS} reloads (${api.map((x) => x.toFixed(0)).join(", ")})`);
    row(`messages() of ${listMs[0][1]} messages (whole chat)`, `${median(listMs.map((x) => x[0])).toFixed(0)} ms`, "median");
    row("messages({limit: 100}): the newest page", `${median(listMs.map((x) => x[2])).toFixed(1)} ms`, "median; what the app reads when a chat opens");
    row("messages({limit: 100, before}): the page before", `${median(listMs.map((x) => x[3])).toFixed(1)} ms`, "median; what scrolling up reads");
    await page.evaluate(() => chat.close());
    const app = [], shown = [];
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto(`${server.url}#/group/${encodeURIComponent(groupId)}`);
      if (i === 0) { await page.evaluate(() => navigator.serviceWorker.ready); continue; } // first visit installs the SW
      await page.reload();
      await page.waitForSelector("body[data-ready='1']");
      app.push(await page.evaluate(() => globalThis.__sxReadyAt));
      await page.waitForSelector(".msg");
      shown.push(await page.evaluate(() => performance.now()));
    }
    row(`load → ready, app (service worker), ${MESSAGES} stored`, `${median(app).toFixed(0)} ms`, `median of ${RUNS} (${app.map((x) => x.toFixed(0)).join(", ")})`);
    row(`load → group chat with ${MESSAGES} messages shown`, `${median(shown).toFixed(0)} ms`, `median of ${RUNS} (${shown.map((x) => x.toFixed(0)).join(", ")}); the newest 100 read and rendered`);
    await ctx.close();
  }

  // 3. one message to a group of MEMBERS
  if (!process.argv.includes("--skip-group")) {
    const ctx = await browser.newContext();
    const pages = [];
    const t = Date.now();
    for (let i = 0; i < MEMBERS; i++) {
      const page = await ctx.newPage();
      await page.goto(`${server.url}web/embed.html`);
      await apiStart(page, `m${i}`);
      await page.evaluate((i) => chat.setProfile({ displayName: `m${i}`, fullName: "" }), i);
      pages.push(page);
    }
    const [host, ...rest] = pages;
    const groupId = (await host.evaluate(() => chat.createGroup({ displayName: "Twenty", fullName: "", directMessages: "off" }))).groupId;
    const link = await host.evaluate((g) => chat.createGroupLink(g), groupId);
    for (const p of rest) {
      const g = await p.evaluate((l) => chat.joinGroup(l, { incognito: false }).then((r) => r.groupId), link);
      await p.evaluate((g) => { globalThis.gid = g; }, g);
    }
    await until(async () => (await host.evaluate((g) => chat.members(g), groupId)).filter((m) => m.status === "connected").length === MEMBERS - 1,
      { what: "all members connected to the host", timeout: 600000, interval: 1000 });
    // the mesh: every member connected to every other one, nothing left to send
    for (const p of pages) {
      await until(() => p.evaluate(async (n) => {
        const g = globalThis.gid || (await chat.groups())[0].groupId;
        const ms = await chat.members(g);
        const s = await chat.stats();
        return ms.filter((m) => m.status === "connected" && m.connection === "direct").length === n && s.pendingDeliveries === 0;
      }, MEMBERS - 1), { what: "full mesh", timeout: 600000, interval: 1000 });
    }
    row(`set up a ${MEMBERS}-member group (setup)`, `${((Date.now() - t) / 1000).toFixed(1)} s`, "pages in one browser, joined one by one, until the full mesh is up");
    const resolved = [], all = [], medians = [], delivered = [];
    for (let k = 0; k < 3; k++) {
      for (const p of rest) await p.evaluate((k) => { globalThis.gotAt = 0; globalThis.off?.(); globalThis.off = chat.on("message", (ev) => { if (ev.text === `to everyone ${k}` && !gotAt) gotAt = Date.now(); }); }, k);
      const sent = await host.evaluate(async ([g, k]) => {
        const t0 = Date.now();
        const { messageId } = await chat.sendGroupMessage(g, `to everyone ${k}`);
        return { t0, resolved: Date.now() - t0, messageId };
      }, [groupId, k]);
      const got = [];
      for (const p of rest) got.push((await until(() => p.evaluate(() => globalThis.gotAt), { what: "member got it", timeout: 120000, interval: 20 })) - sent.t0);
      await until(async () => (await host.evaluate((g) => chat.messages({ groupId: g }), groupId)).at(-1).status === "delivered",
        { what: "delivered", timeout: 120000, interval: 50 });
      delivered.push(Date.now() - sent.t0);
      resolved.push(sent.resolved); all.push(Math.max(...got)); medians.push(median(got));
      await new Promise((r) => setTimeout(r, 2000));
    }
    row(`sendGroupMessage() to ${MEMBERS - 1} members resolved`, `${median(resolved)} ms`, `stored and queued; 3 messages: ${resolved.join(", ")}`);
    row(`… received by all ${MEMBERS - 1} members`, `${median(all)} ms`, `3 messages: ${all.join(", ")}; median member ${median(medians)} ms`);
    row("… shown as delivered (all receipts) to the sender", `${median(delivered)} ms`, `3 messages: ${delivered.join(", ")} (polled every 50 ms)`);
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

console.log(`| what | value | notes |\n| --- | --- | --- |`);
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
