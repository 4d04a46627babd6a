// tabs-bench.mjs — the many-tabs numbers of docs/browser-numbers.md: long tasks
// on a page's main thread while its core works, with the core on the page's
// main thread (mode "page", as before workers) and off it (SharedWorker, and
// the leader tab's worker where SharedWorker is missing); and how long the
// core takes to start and to move to another tab.
//
//   ./build.sh wasm && node e2e/tabs-bench.mjs [--messages 1000] [--members 100] [--sends 10]
//        [--modes page,shared,leader] [--skip-receive] [--skip-group] [--skip-start] [--app]
//        [--web DIR] [--why]
//
// 1. receive: the measured tab is in a group with one other person (another
//    browser context, core on its own main thread), who sends --messages
//    messages as fast as it can; from the first send until the tab has them all.
//    With --app also with the app (index.html) as the tab, the chat open; its
//    row also says how many messages the chat's list holds at the end.
// 2. group: the measured tab joins a group of --members (it and --members - 1
//    native members of internal/swarm) and sends --sends messages, each waited
//    until every member has it; then 4 s more for the receipts.
// 3. start and move: start() in a new browser profile, in the same one again
//    with no tab open (the core starts anew), and in a second tab while the
//    core runs; in mode leader, the gap a second tab sees in answers when the
//    leader tab closes.
// Long tasks are PerformanceObserver("longtask") entries of the measured page
// (by definition each over 50 ms); a worker's own long tasks are not the
// page's. The page is the bare API page (web/embed.html) with a handler on
// every event, so what it measures is the cost of the core to a page. Beside
// each count, those of an idle page in the same window: the machine's noise
// (and, for the app, those of a page doing a little work each frame).
// --web serves another build of the web bundle (default build/web): a copy of
// an older build measures "before" on the same machine.
import { startServer, launch, until, haveWasm, startSwarm, webDir } from "./lib.mjs";
import { NO_SHARED_WORKER, startIn } from "./tabslib.mjs";

const argv = process.argv;
const opt = (name, def) => { const i = argv.indexOf(`--${name}`); return i > 0 ? argv[i + 1] : def; };
const MESSAGES = Number(opt("messages", "1000"));
const MEMBERS = Number(opt("members", "100"));
const SENDS = Number(opt("sends", "10"));
const MODES = opt("modes", "page,shared,leader").split(",");
const skip = (what) => argv.includes(`--skip-${what}`);
const WEB = opt("web", webDir);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const row = (...cells) => { rows.push(cells); console.error(cells.join(" | ")); };

if (!haveWasm()) { console.error("run ./build.sh wasm first"); process.exit(2); }

// Records the page's long tasks from its start (buffered).
// Also the long animation frames (LoAF, over 50 ms), which say where the time went:
// the scripts that ran (by function and file), and style and layout.
const OBSERVE = () => {
  globalThis.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) __longTasks.push([e.startTime, e.duration]); })
    .observe({ type: "longtask", buffered: true });
  globalThis.__loaf = [];
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        __loaf.push({ start: e.startTime, duration: e.duration, layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((s) => ({ what: `${s.invoker} ${s.sourceFunctionName || ""} ${String(s.sourceURL).replace(/^.*\//, "")}`, ms: s.duration })) });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch { /* no LoAF in this browser */ }
};

/** A new context and API page for mode (leader: SharedWorker removed, as on old Chrome for Android). */
async function measuredPage(mode) {
  const ctx = await browser.newContext();
  if (mode === "leader") await ctx.addInitScript(NO_SHARED_WORKER);
  await ctx.addInitScript(OBSERVE);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(`${server.url}web/embed.html`);
  return { ctx, page };
}

async function start(page, db, mode) {
  const r = await startIn(page, db, mode === "leader" ? {} : { mode });
  if (r.error || r.mode !== mode) throw new Error(`start in mode ${mode}: ${r.error || r.mode}`);
}

/**
 * Long tasks of page between its performance.now() times t0 and t1: "count,
 * longest, total"; and, as a control, those of an idle page of the same
 * browser in the same wall-clock window (a machine shared with other work
 * stalls any thread now and then; such stalls show on the idle page too).
 * With busy, also those of a page working BUSY_MS in each animation frame
 * meanwhile (about what the app's redraw of its list costs): a short task
 * stretched past 50 ms by the machine shows there.
 */
async function longTasks(page, t0, t1, busy = false) {
  const summary = (lt) => (lt.length ? `${lt.length}, longest ${Math.round(Math.max(...lt))} ms, ${Math.round(lt.reduce((a, b) => a + b, 0))} ms in all` : "none");
  const lt = (await page.evaluate(() => __longTasks)).filter(([s]) => s >= t0 && s <= t1).map(([, d]) => d);
  const origin = await page.evaluate(() => performance.timeOrigin);
  const of = async (other) => {
    const shift = origin - (await other.evaluate(() => performance.timeOrigin)); // the other page's clock = the page's + shift
    return (await other.evaluate(() => __longTasks)).filter(([s]) => s >= t0 + shift && s <= t1 + shift).map(([, d]) => d);
  };
  if (argv.includes("--why")) await why(page, t0, t1);
  return `${summary(lt)} (idle page: ${summary(await of(idle))}${busy ? `; a page working ${BUSY_MS} ms a frame: ${summary(await of(busyPage))}` : ""})`;
}
const BUSY_MS = 2;
/** Starts (on) or stops the busy control page's work. */
const busyWork = (on) => busyPage.evaluate(([on, ms]) => {
  globalThis.busyOn = on;
  const busy = () => { if (!globalThis.busyOn) return; const end = performance.now() + ms; while (performance.now() < end); requestAnimationFrame(busy); };
  if (on) requestAnimationFrame(busy);
}, [on, BUSY_MS]);

/** With --why: where the long animation frames of page between t0 and t1 spent their time. */
async function why(page, t0, t1) {
  const frames = (await page.evaluate(() => __loaf)).filter((f) => f.start >= t0 && f.start <= t1);
  const by = new Map();
  let layout = 0;
  for (const f of frames) {
    layout += f.layout;
    for (const s of f.scripts) by.set(s.what, (by.get(s.what) || 0) + s.ms);
  }
  console.error(`long animation frames: ${frames.length}, ${Math.round(frames.reduce((a, f) => a + f.duration, 0))} ms; style and layout ${Math.round(layout)} ms; scripts:`);
  for (const [what, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.error(`  ${Math.round(ms)} ms  ${what}`);
}

/**
 * Receiving MESSAGES in mode; with app, the measured page is the app with the
 * chat open (its rendering of each message is the app's cost, not the core's).
 */
async function receive(mode, app = false) {
  const { ctx, page } = await measuredPage(mode);
  const sctx = await browser.newContext();
  const sender = await sctx.newPage();
  await sender.goto(`${server.url}web/embed.html`);
  await start(sender, "sender", "page");
  if (app) {
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready='1']", { timeout: 120000 });
    await page.evaluate(() => { globalThis.chat = sxapp.chat; });
  } else {
    await start(page, "receiver", mode);
  }
  await page.evaluate(() => chat.setProfile({ displayName: "receiver", fullName: "" }));
  const link = await sender.evaluate(async () => {
    await chat.setProfile({ displayName: "sender", fullName: "" });
    globalThis.gid = (await chat.createGroup({ displayName: "Many", fullName: "", directMessages: "off" })).groupId;
    return chat.createGroupLink(gid);
  });
  const gid = await page.evaluate(async (link) => (await chat.joinGroup(link, {})).groupId, link);
  await until(() => sender.evaluate(async () => (await chat.members(gid)).some((m) => m.status === "connected")), { what: "joined", timeout: 120000 });
  await until(() => page.evaluate(async (g) => (await chat.members(g)).some((m) => m.status === "connected"), gid), { what: "joined", timeout: 120000 });
  if (app) { // the app read no profile at its start: start it again, on the chat
    await page.goto(`${server.url}#/group/${encodeURIComponent(gid)}`);
    await page.reload();
    await page.waitForSelector(".chat-view .messages", { timeout: 120000 });
    await page.evaluate(() => { globalThis.chat = sxapp.chat; });
  }
  if (app) await busyWork(true);
  const t0 = await page.evaluate((n) => {
    globalThis.got = 0;
    chat.on("message", (ev) => { if (ev.sender !== "me" && ++got === n) globalThis.doneAt = performance.now(); });
    return performance.now();
  }, MESSAGES);
  const sentIn = await sender.evaluate(async (n) => {
    const t = performance.now();
    for (let i = 0; i < n; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => chat.sendGroupMessage(gid, `message ${i + j} of ${n}`)));
    }
    return performance.now() - t;
  }, MESSAGES);
  const doneAt = await until(() => page.evaluate(() => globalThis.doneAt), { what: `all ${MESSAGES} received`, timeout: 900000, interval: 250 });
  const lt = await longTasks(page, t0, doneAt + 500, app);
  if (app) await busyWork(false);
  // The app draws on animation frames: the last one sent is on screen a frame later.
  const shown = app ? await until(() => page.evaluate((n) => {
    const items = [...document.querySelectorAll(".chat-view .messages > li.msg")];
    return items.some((li) => li.textContent.includes(`message ${n - 1} of ${n}`)) && items.length;
  }, MESSAGES), { what: "the last message shown", timeout: 60000 }) : 0;
  row(`receive ${MESSAGES} messages${app ? ", the app with the chat open" : ""}`, mode,
    `${((doneAt - t0) / 1000).toFixed(1)} s (sent in ${(sentIn / 1000).toFixed(1)} s)${app ? `; ${shown} messages in the list at the end` : ""}`, lt);
  await ctx.close();
  await sctx.close();
}

async function group(mode, swarm, link) {
  const { ctx, page } = await measuredPage(mode);
  await start(page, `member-${mode}`, mode);
  const others = MEMBERS - 1;
  const t0 = await page.evaluate(() => performance.now());
  const gid = await page.evaluate(async ([link, others]) => {
    await chat.setProfile({ displayName: "browser", fullName: "" });
    const { groupId } = await chat.joinGroup(link, {});
    globalThis.gid = groupId;
    for (;;) {
      const ms = await chat.members(groupId);
      if (ms.filter((m) => m.connection === "direct").length >= others) return groupId;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, [link, others]);
  const joined = await page.evaluate(() => performance.now());
  row(`join a ${MEMBERS}-member group (connected to all)`, mode, `${((joined - t0) / 1000).toFixed(1)} s`, await longTasks(page, t0, joined));
  await until(() => page.evaluate(async () => (await chat.stats()).pendingDeliveries === 0), { what: "nothing pending", timeout: 600000, interval: 500 });
  await page.evaluate(() => { globalThis.deliveries = 0; chat.on("delivery", () => deliveries++); });
  const s0 = await page.evaluate(() => performance.now());
  const all = [];
  for (let k = 0; k < SENDS; k++) {
    const text = `to ${others} members in mode ${mode}, ${k}`;
    const at = await page.evaluate(async ([g, text]) => { const at = Date.now(); await chat.sendGroupMessage(g, text); return at; }, [gid, text]);
    const r = await until(async () => { const r = await swarm.get(`received?size=${others}&text=${encodeURIComponent(text)}`); return r.count >= others ? r : null; },
      { what: `all ${others} have it`, timeout: 600000, interval: 50 });
    all.push(r.lastMs - at);
  }
  await new Promise((r) => setTimeout(r, 4000)); // the receipts come back
  const s1 = await page.evaluate(() => performance.now());
  const deliveries = await page.evaluate(() => deliveries);
  row(`send ${SENDS} messages to a ${MEMBERS}-member group`, mode, `all have each in ${Math.round(median(all))} ms (median); ${deliveries} delivery events`,
    await longTasks(page, s0, s1));
  await ctx.close();
}

async function startAndMove(mode) {
  const ctx = await browser.newContext();
  if (mode === "leader") await ctx.addInitScript(NO_SHARED_WORKER);
  const tab = async () => {
    const page = await ctx.newPage();
    await page.goto(`${server.url}web/embed.html`);
    const t = await page.evaluate(() => performance.now());
    await start(page, "moving", mode);
    return { page, ms: (await page.evaluate(() => performance.now())) - t };
  };
  const first = await tab();
  await first.page.evaluate(() => chat.setProfile({ displayName: "mover", fullName: "" }));
  // Opened again (the browser's caches warm), with no tab of it open: the core starts anew.
  const again = [];
  let last = first;
  for (let i = 0; i < 5; i++) {
    await last.page.close();
    await until(() => idle.evaluate(() => true)); // a turn for the closing tab's locks to go
    last = await tab();
    again.push(last.ms);
  }
  row("start(): a tab in a new browser profile (cold caches)", mode, `${Math.round(first.ms)} ms`, "");
  row("start(): the app opened again, no other tab", mode, `${Math.round(median(again))} ms (median of 5: ${again.map(Math.round).join(", ")})`, "");
  if (mode === "page") return ctx.close();
  const second = [];
  const gaps = [];
  let leader = last;
  for (let i = 0; i < 5; i++) {
    const next = await tab();
    second.push(next.ms);
    if (mode !== "leader") { await next.page.close(); continue; }
    // The follower asks all the time; the longest wait for an answer spans the move.
    const asking = next.page.evaluate(async () => {
      let longest = 0;
      const end = performance.now() + 3000;
      while (performance.now() < end) {
        const t = performance.now();
        await chat.stats();
        longest = Math.max(longest, performance.now() - t);
      }
      return longest;
    });
    await new Promise((r) => setTimeout(r, 500));
    await leader.page.close();
    gaps.push(await asking);
    leader = next;
  }
  row("start(): another tab, the core running", mode, `${Math.round(median(second))} ms (median of 5: ${second.map(Math.round).join(", ")})`, "");
  if (gaps.length) row("the leader tab closes: a call waits at most", mode, `${Math.round(median(gaps))} ms (median of 5: ${gaps.map(Math.round).join(", ")})`, "");
  await ctx.close();
}

const server = await startServer({ web: WEB });
const browser = await launch();
const idle = await (await browser.newContext()).newPage(); // the control: a page that does nothing
await idle.context().addInitScript(OBSERVE);
await idle.goto(`${server.url}web/embed.html`);
const busyPage = await (await browser.newContext()).newPage(); // the control of --app: a page that works a little each frame
await busyPage.context().addInitScript(OBSERVE);
await busyPage.goto(`${server.url}web/embed.html`);
let swarm = null;
try {
  if (!skip("start")) for (const m of MODES) await startAndMove(m);
  if (!skip("receive")) for (const m of MODES) await receive(m);
  if (argv.includes("--app")) for (const m of MODES.filter((m) => m !== "page")) await receive(m, true); // the app picks its mode itself
  if (!skip("group")) {
    swarm = await startSwarm(server.relay);
    const g = await swarm.post(`group?n=${MEMBERS - 1}`);
    console.error(`swarm: ${MEMBERS - 1} natives in a group (built in ${g.seconds.toFixed(1)} s)`);
    for (const m of MODES) await group(m, swarm, g.link);
  }
} finally {
  await browser.close();
  await swarm?.stop();
  await server.stop();
}
console.log("| what | mode | value | long tasks on the page's main thread |\n| --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
