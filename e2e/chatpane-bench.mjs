// chatpane-bench.mjs — the app's message list alone: the app (index.html) with a
// group chat open is fed --messages synthetic message events (as the core sends
// them, each in a task of its own, --rate a second) straight into its view, with
// no core or relay working meanwhile; prints the page's long tasks (each over
// 50 ms) and the long animation frames' time by script. It isolates what
// e2e/tabs-bench.mjs --app measures (the app receiving from a real sender) from
// the core's work. The control: a page of the same browser that, meanwhile, works
// --control-ms (2) in each animation frame, about what a redraw of the list
// costs; its long tasks are the machine's (a busy 2-core machine stalls a
// thread now and then), not the app's.
//
//   ./build.sh wasm && node e2e/chatpane-bench.mjs [--messages 1000] [--rate 100] [--control-ms 2] [--web DIR] [--profile]
//
// --profile also prints the functions that took the most time (CDP profiler).
import { startServer, launch, until, haveWasm, webDir } from "./lib.mjs";

const argv = process.argv;
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i > 0 ? argv[i + 1] : def; };
const MESSAGES = Number(opt("messages", "1000"));
const RATE = Number(opt("rate", "100"));
const WEB = opt("web", webDir);
const CONTROL_MS = Number(opt("control-ms", "2"));

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }

const OBSERVE = () => {
  globalThis.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) __longTasks.push(e.duration); }).observe({ type: "longtask" });
  globalThis.__loaf = [];
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        __loaf.push({ duration: e.duration, layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((s) => ({ what: `${s.invoker} ${s.sourceFunctionName || ""} ${String(s.sourceURL).replace(/^.*\//, "")}`, ms: s.duration, layout: s.forcedStyleAndLayoutDuration })) });
      }
    }).observe({ type: "long-animation-frame" });
  } catch { /* no LoAF */ }
  // The time of each animation frame callback (the app draws in them), forced layout included.
  globalThis.__frames = [];
  const raf = globalThis.requestAnimationFrame;
  globalThis.requestAnimationFrame = (fn) => raf((ts) => { const t = performance.now(); try { fn(ts); } finally { __frames.push(performance.now() - t); } });
};

const server = await startServer({ web: WEB });
const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(OBSERVE);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 120000 });
  const gid = await page.evaluate(async () => {
    await sxapp.chat.setProfile({ displayName: "reader", fullName: "" });
    return (await sxapp.chat.createGroup({ displayName: "Fed", fullName: "" })).groupId;
  });
  await page.goto(`${server.url}#/group/${encodeURIComponent(gid)}`);
  await page.reload();
  await page.waitForSelector(".chat-view .messages li", { timeout: 120000 });
  await page.waitForTimeout(2000); // the app settles
  const control = await (await browser.newContext()).newPage();
  await control.goto(`${server.url}web/embed.html`);
  await control.evaluate(OBSERVE);
  await control.evaluate((ms) => {
    const busy = () => { const end = performance.now() + ms; while (performance.now() < end); requestAnimationFrame(busy); };
    requestAnimationFrame(busy);
  }, CONTROL_MS);
  const cdp = argv.includes("--profile") ? await ctx.newCDPSession(page) : null;
  if (cdp) { await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 200 }); await cdp.send("Profiler.start"); }
  await control.evaluate(() => { __longTasks.length = 0; });
  const ms = await page.evaluate(async ([gid, n, rate]) => {
    __longTasks.length = 0;
    __loaf.length = 0;
    __frames.length = 0;
    const t = performance.now();
    const port = new MessageChannel(); // each event a task of its own, as from the core's worker
    let i = 0;
    await new Promise((done) => {
      port.port1.onmessage = () => {
        const now = new Date().toISOString();
        sxapp.view.onEvent({ type: "message", groupId: gid, messageId: `fed-${i}`, sender: "m1", senderName: "member", text: `message ${i} of ${n}`, ts: now, reactions: [], unread: 0 });
        if (++i === n) done();
        else setTimeout(() => port.port2.postMessage(0), 1000 / rate);
      };
      port.port2.postMessage(0);
    });
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)));
    return performance.now() - t;
  }, [gid, MESSAGES, RATE]);
  const clt = await control.evaluate(() => { globalThis.requestAnimationFrame = () => 0; return __longTasks.slice(); }); // and it stops
  let prof = null;
  if (cdp) prof = (await cdp.send("Profiler.stop")).profile;
  await until(() => page.evaluate((n) => [...document.querySelectorAll(".messages .msg")].some((li) => li.textContent.includes(`message ${n - 1} of`)), MESSAGES), { what: "the last one shown" });
  const { lt, loaf, shown, frames } = await page.evaluate(() => ({ lt: __longTasks, loaf: __loaf, frames: __frames, shown: document.querySelectorAll(".messages .msg").length }));
  const sum = (xs) => Math.round(xs.reduce((a, b) => a + b, 0));
  console.log(`fed ${MESSAGES} messages at ${RATE}/s in ${(ms / 1000).toFixed(1)} s; ${shown} in the list at the end`);
  const q = (p) => [...frames].sort((a, b) => a - b)[Math.min(frames.length - 1, Math.floor(p * frames.length))].toFixed(1);
  console.log(`animation frame callbacks (the list's redraws): ${frames.length}, median ${q(0.5)} ms, 95th percentile ${q(0.95)} ms, longest ${q(1)} ms, ${sum(frames)} ms in all`);
  console.log(`long tasks: ${lt.length ? `${lt.length}, longest ${Math.round(Math.max(...lt))} ms, ${sum(lt)} ms in all` : "none"}`);
  const by = new Map();
  for (const f of loaf) for (const s of f.scripts) by.set(s.what, [(by.get(s.what)?.[0] || 0) + s.ms, (by.get(s.what)?.[1] || 0) + (s.layout || 0)]);
  console.log(`the control (${CONTROL_MS} ms of work each frame) meanwhile: long tasks ${clt.length ? `${clt.length}, longest ${Math.round(Math.max(...clt))} ms` : "none"}`);
  console.log(`long animation frames: ${loaf.length}, ${sum(loaf.map((f) => f.duration))} ms; style and layout after scripts ${sum(loaf.map((f) => f.layout))} ms`);
  for (const [what, [t, l]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 8)) console.log(`  ${Math.round(t)} ms (forced style and layout ${Math.round(l)} ms)  ${what}`);
  if (prof) {
    const self = new Map();
    const dt = new Map();
    for (let k = 0; k < prof.samples.length; k++) dt.set(prof.samples[k], (dt.get(prof.samples[k]) || 0) + prof.timeDeltas[k] / 1000);
    for (const n of prof.nodes) {
      const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.replace(/^.*\//, "")}:${n.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) || 0) + (dt.get(n.id) || 0));
    }
    console.log("self time by function:");
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${Math.round(v)} ms  ${k}`);
  }
  await ctx.close();
} finally {
  await browser.close();
  await server.stop();
}
