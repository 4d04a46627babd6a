// backup-bench.mjs — the numbers of issue 13 (docs/browser-numbers.md, "Encryption
// at rest, backup"), in headless Chromium with the real wasm:
//   ./build.sh wasm && node e2e/backup-bench.mjs [--messages 10000] [--runs 5]
// 1. start() (and start() again in the same page, the wasm loaded: the core's
//    open alone) and opening a chat of --messages messages (its newest 100, what
//    the app reads; and the whole chat), with encryption at rest and without
//    (a database created with atRest: false), median of --runs reloads each; and
//    the app (index.html) loading into that chat until its messages show;
// 2. start() with a passphrase (Argon2id, then the same);
// 3. exportAccount and importAccount of that account: time and size.
import { startServer, launch, haveWasm } from "./lib.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MESSAGES = arg("messages", 10000);
const RUNS = arg("runs", 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const row = (what, value, note = "") => { rows.push([what, value, note]); console.error(`${what}: ${value} ${note}`); };
const ms = (x) => `${x.toFixed(0)} ms`;

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }
const server = await startServer();
const browser = await launch();

// start() in a page just loaded: time from navigation and of start() itself.
async function start(page, opts) {
  return page.evaluate(async (opts) => {
    const t0 = performance.now();
    const { start } = await import("/web/simplex.js");
    globalThis.chat = await start(opts);
    return { sinceNavigation: performance.now(), start: performance.now() - t0 };
  }, opts);
}

async function fill(page, db, atRest) {
  await start(page, { db, atRest });
  return page.evaluate(async (n) => {
    await chat.setProfile({ displayName: "bench", fullName: "" });
    const { groupId } = await chat.createGroup({ displayName: "History", fullName: "", directMessages: "off" });
    for (let i = 0; i < n; i += 100) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 100); j++) batch.push(chat.sendGroupMessage(groupId, `message number ${j} with some ordinary length text`));
      await Promise.all(batch);
    }
    await chat.close();
    return groupId;
  }, MESSAGES);
}

// One reload: start() and the chat's pages, measured in the page.
async function once(page, opts, groupId) {
  await page.reload();
  const s = await start(page, opts);
  const m = await page.evaluate(async ([g, opts]) => {
    let t0 = performance.now();
    await chat.messages({ groupId: g, limit: 100 });
    const newest = performance.now() - t0;
    t0 = performance.now();
    const all = await chat.messages({ groupId: g });
    const whole = performance.now() - t0;
    await chat.close();
    // again in the same page: the wasm is loaded, this is the core's open
    const { start } = await import("/web/simplex.js");
    t0 = performance.now();
    const again = await start(opts);
    const reopen = performance.now() - t0;
    await again.close();
    return { newest, whole, reopen, n: all.length };
  }, [groupId, opts]);
  if (m.n !== MESSAGES) throw new Error(`${m.n} messages, want ${MESSAGES}`);
  return { nav: s.sinceNavigation, start: s.start, reopen: m.reopen, newest: m.newest, whole: m.whole };
}

// RUNS reloads of each variant, taken in turns so that the shared machine's
// noise falls on all of them alike.
async function measure(page, variants) {
  const out = variants.map(() => ({ nav: [], start: [], reopen: [], newest: [], whole: [] }));
  for (let i = 0; i < RUNS; i++) {
    for (const [k, v] of variants.entries()) {
      const r = await once(page, v.opts, v.groupId);
      for (const f of Object.keys(r)) out[k][f].push(r[f]);
    }
  }
  return out;
}

// The app (index.html, its service worker) opening the group chat: load → the
// newest messages shown, as e2e/bench.mjs measures it.
async function appOpen(page, groupId) {
  await page.goto(`${server.url}#/group/${encodeURIComponent(groupId)}`);
  await page.reload();
  await page.waitForSelector("body[data-ready='1']");
  await page.waitForSelector(".msg");
  return page.evaluate(() => performance.now());
}

try {
  // Each variant in a browser context of its own (its own IndexedDB), the
  // account in the app's database "simplex": one sealed at rest, one in clear.
  const t = Date.now();
  const vs = [];
  for (const [name, atRest] of [["in clear", false], ["sealed at rest", true]]) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}web/embed.html`);
    const groupId = await fill(page, "simplex", atRest);
    const app = await ctx.newPage();
    await app.goto(`${server.url}#/group/${encodeURIComponent(groupId)}`);
    await app.evaluate(() => navigator.serviceWorker.ready); // the first visit installs the service worker
    await app.close();
    vs.push({ name, ctx, page, groupId, opts: { db: "simplex", atRest } });
  }
  row(`store ${MESSAGES} messages twice (setup)`, `${((Date.now() - t) / 1000).toFixed(1)} s`, "one account sealed at rest, one in clear");
  const out = vs.map(() => ({ nav: [], start: [], reopen: [], newest: [], whole: [], shown: [] }));
  for (let i = 0; i < RUNS; i++) {
    for (const [k, v] of vs.entries()) {
      const r = await once(v.page, v.opts, v.groupId);
      for (const f of Object.keys(r)) out[k][f].push(r[f]);
      const app = await v.ctx.newPage();
      out[k].shown.push(await appOpen(app, v.groupId));
      await app.close();
    }
  }
  const r = { clear: out[0], sealed: out[1] };
  const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(0)}%`;
  for (const [what, f] of [["start()", "start"], ["load → ready (start() resolved, since navigation)", "nav"],
    ["start() again in the same page (the wasm loaded: the core's open)", "reopen"],
    ["open the chat: messages({limit: 100})", "newest"], [`the whole chat: messages() of ${MESSAGES}`, "whole"],
    [`the app: load → the group chat of ${MESSAGES} shown`, "shown"]]) {
    const c = median(r.clear[f]), s = median(r.sealed[f]);
    row(`${what}, in clear`, ms(c), `median of ${r.clear[f].length}`);
    row(`${what}, sealed at rest`, ms(s), `median of ${r.sealed[f].length}; ${pct(s, c)} against in clear`);
  }
  const { page, ctx } = vs[1];
  const gSealed = vs[1].groupId;
  await vs[0].ctx.close();

  // a passphrase instead of the device key
  await page.reload();
  await start(page, { db: "simplex" });
  await page.evaluate(() => chat.setPassphrase(null, "bench passphrase").then(() => chat.close()));
  const [withPass] = await measure(page, [{ opts: { db: "simplex", passphrase: "bench passphrase" }, groupId: gSealed }]);
  row("start() with a passphrase (Argon2id, then as sealed)", ms(median(withPass.start)), `median of ${RUNS}`);
  await page.reload();
  await start(page, { db: "simplex", passphrase: "bench passphrase" });
  await page.evaluate(() => chat.setPassphrase("bench passphrase", null).then(() => chat.close()));

  // export and import
  await page.reload();
  await start(page, { db: "simplex" });
  const ex = await page.evaluate(async () => {
    const t0 = performance.now();
    const blob = await chat.exportAccount({ passphrase: "bench passphrase" });
    const took = performance.now() - t0;
    globalThis.backupBlob = blob;
    await chat.close();
    return { took, size: blob.size };
  });
  row(`exportAccount, ${MESSAGES} messages`, ms(ex.took), `${(ex.size / 1e6).toFixed(2)} MB; includes Argon2id (~1 s)`);
  const im = await page.evaluate(async () => {
    const { importAccount } = await import("/web/simplex.js");
    const t0 = performance.now();
    const res = await importAccount({ db: "imported", data: backupBlob, passphrase: "bench passphrase" });
    return { took: performance.now() - t0, records: res.records };
  });
  row(`importAccount, ${MESSAGES} messages`, ms(im.took), `${im.records} records; includes Argon2id (~1 s), reads the backup twice`);
  const after = await start(page, { db: "imported" });
  row("start() of the imported account", ms(after.start), "once, the wasm already loaded in the page");
  await ctx.close();
} finally {
  await browser.close();
  await server.stop();
}

console.log(`| what | value | notes |\n| --- | --- | --- |`);
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
