// tabslib.mjs — the many-tabs story (README, "Many tabs"), run by
// tabs-shared.test.mjs (SharedWorker) and tabs-leader.test.mjs (no
// SharedWorker: a leader tab runs the core). alice has several tabs on one
// database, bob is someone to talk to in another browser context; every tab
// sends at once, tabs close, one crashes while sending, and at the end the
// core stops with the last tab. Each check is what a person would see: every
// message once in every tab, in the history and at bob's.
import assert from "node:assert/strict";
import { storySuite, apiPage, call, until } from "./lib.mjs";

/** Removes SharedWorker from every page of a context: the fallback of Chrome for Android before 148. */
export const NO_SHARED_WORKER = () => { delete globalThis.SharedWorker; };

/** Starts the client on db in page and records its events; resolves {mode} or {error: code}. */
export function startIn(page, db, opts = {}) {
  return page.evaluate(async ([db, opts]) => {
    const { start } = await import("/web/simplex.js");
    try {
      globalThis.chat = await start({ db, ...opts });
    } catch (e) {
      return { error: e.code || e.message };
    }
    globalThis.events = [];
    for (const t of ["message", "member", "contact", "group", "delivery", "error", "closed"]) chat.on(t, (ev) => events.push(ev));
    return { mode: chat.mode };
  }, [db, opts]);
}

/** A new tab of ctx with the client started on db: {name, page, mode}. */
export async function openTab(ctx, url, name, db) {
  const page = await apiPage(ctx, url, name);
  const r = await startIn(page, db);
  assert.equal(r.error, undefined, `${name}: start failed: ${r.error}`);
  return { name, page, mode: r.mode };
}

const texts = (ms) => ms.map((m) => m.text);
const count = (xs, x) => xs.filter((y) => y === x).length;

/** Every tab sends n messages at once ("<tag> <tab> <i>", not waiting for each other); resolves all the texts. */
async function sendRound(tabs, tag, n) {
  const sent = await Promise.all(tabs.map((t) => t.page.evaluate(async ([g, prefix, n]) => {
    const all = Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
    await Promise.all(all.map((text) => chat.sendGroupMessage(g, text)));
    return all;
  }, [t.groupId, `${tag} ${t.name}`, n])));
  return sent.flat();
}

/** Waits until the chat's history holds every text, then checks each is there once. */
async function historyOnce(tab, want) {
  let got = [];
  await until(async () => {
    got = texts(await call(tab, "messages", { groupId: tab.groupId }));
    return want.every((t) => got.includes(t));
  }, { what: `${tab.name}'s history has all ${want.length} messages`, timeout: 90000 });
  for (const t of want) assert.equal(count(got, t), 1, `${tab.name}: "${t}" ${count(got, t)} times in the history`);
}

/** Waits until this tab got a message event for every text, then checks each came once. */
async function eventsOnce(tab, want) {
  let got = [];
  await until(async () => {
    got = await tab.page.evaluate(() => events.filter((e) => e.type === "message").map((e) => e.text));
    return want.every((t) => got.includes(t));
  }, { what: `${tab.name} got an event for each of ${want.length} messages`, timeout: 90000 });
  for (const t of want) assert.equal(count(got, t), 1, `${tab.name}: "${t}" came ${count(got, t)} times as an event`);
}

/** Who runs a core on db, as the Web Locks say: [{kind, version}] (dblock.js names the holder). */
export const holders = (page, db) => page.evaluate(async (db) => (await navigator.locks.query()).held
  .map((l) => l.name).filter((n) => n.startsWith("sxweb-holder:")).map((n) => JSON.parse(n.slice(13)))
  .filter((h) => h.db === db).map(({ kind, version }) => ({ kind, version })), db);

/**
 * A round: every tab sends at once; every alice tab shows every message once,
 * bob and the history have each once; and one core runs alice's database.
 */
async function round(alice, bob, tag, n = 5) {
  const want = await sendRound([...alice, bob], tag, n);
  for (const t of alice) await eventsOnce(t, want);
  await historyOnce(alice[0], want);
  await historyOnce(bob, want);
  const h = await holders(alice[0].page, "alice");
  assert.deepEqual(h.map((x) => x.kind), [alice[0].mode], `one core runs database alice: ${JSON.stringify(h)}`);
}

/** Crashes a tab's renderer (as an out-of-memory kill or a crash would). */
async function crash(tab) {
  const crashed = new Promise((r) => tab.page.once("crash", r));
  const cdp = await tab.page.context().newCDPSession(tab.page);
  cdp.send("Page.crash").catch(() => {}); // the session dies with the page
  await crashed;
}

/**
 * Starts sends "<tag> <i>" from tab, 10 ms apart, none waiting for the one
 * before; resolves the set of texts whose sendGroupMessage resolved, as far as
 * this process heard of them (console lines) — the ones the sender was told.
 */
function startSending(tab, tag, n) {
  const told = new Set();
  tab.page.on("console", (m) => { const t = m.text(); if (t.startsWith(`sent: ${tag} `)) told.add(t.slice(6)); });
  const done = tab.page.evaluate(async ([g, tag, n]) => {
    const ps = [];
    for (let i = 0; i < n; i++) {
      const text = `${tag} ${i}`;
      ps.push(chat.sendGroupMessage(g, text).then(() => { console.log(`sent: ${text}`); return "ok"; }, (e) => e.code));
      await new Promise((r) => setTimeout(r, 10));
    }
    return Promise.all(ps);
  }, [tab.groupId, tag, n]).catch(() => null); // null: the page crashed under it
  return { told, done };
}

/** Each text of tag at most once in alice's history, every told one there, and bob has exactly the same, once each. */
async function nothingLostOrTwice(a, bob, tag, told) {
  const mine = (ms) => texts(ms).filter((t) => t.startsWith(`${tag} `));
  // Sends the core received before the crash are still being stored: wait until nothing more comes.
  let stored = [];
  for (let same = 0; same < 5;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = mine(await call(a, "messages", { groupId: a.groupId }));
    same = now.length === stored.length ? same + 1 : 0;
    stored = now;
  }
  assert.equal(new Set(stored).size, stored.length, `twice in alice's history: ${stored.join(", ")}`);
  for (const t of told) assert.ok(stored.includes(t), `"${t}" was sent (resolved) but is not in the history`);
  let got = [];
  await until(async () => {
    got = mine(await call(bob, "messages", { groupId: bob.groupId }));
    return got.length >= stored.length;
  }, { what: `bob has all ${stored.length} of ${tag}`, timeout: 90000 });
  await new Promise((r) => setTimeout(r, 1000)); // anything sent twice would come in now
  got = mine(await call(bob, "messages", { groupId: bob.groupId }));
  assert.deepEqual([...got].sort(), [...stored].sort(), "bob has exactly what alice stored, each once");
  return stored;
}

/** Registers the story's steps for mode "shared" or "leader". */
export function tabsStory(mode) {
  let server, browser, aliceCtx;
  const test = storySuite((s, b) => { server = s; browser = b; });
  const alice = [];
  let bob;
  const tab = async (name) => {
    const t = await openTab(aliceCtx, server.url, name, "alice");
    assert.equal(t.mode, mode, `${name} runs in mode ${t.mode}`);
    t.groupId = alice[0]?.groupId;
    alice.push(t);
    return t;
  };
  const live = () => alice.filter((t) => !t.gone);

  test("alice's first tab joins bob's group", async () => {
    aliceCtx = await browser.newContext();
    if (mode === "leader") await aliceCtx.addInitScript(NO_SHARED_WORKER);
    bob = await openTab(await browser.newContext(), server.url, "bob", "bob");
    await call(bob, "setProfile", { displayName: "bob", fullName: "" });
    const a1 = await tab("alice-1");
    await call(a1, "setProfile", { displayName: "alice", fullName: "" });
    bob.groupId = (await call(bob, "createGroup", { displayName: "Tabs", fullName: "", directMessages: "off" })).groupId;
    a1.groupId = (await call(a1, "joinGroup", await call(bob, "createGroupLink", bob.groupId), { incognito: false })).groupId;
    await until(async () => (await call(bob, "members", bob.groupId)).some((m) => m.status === "connected"), { what: "bob sees alice connected" });
    await until(async () => (await call(a1, "members", a1.groupId)).some((m) => m.status === "connected"), { what: "alice sees bob connected" });
  });

  test("two tabs send and receive at once", async () => {
    const a2 = await tab("alice-2");
    assert.equal((await call(a2, "getProfile")).displayName, "alice", "the second tab has the same profile: one core");
    await round(live(), bob, "two");
  });

  test("three tabs send and receive at once", async () => {
    await tab("alice-3");
    await round(live(), bob, "three");
  });

  test("the first tab closes; the others go on", async () => {
    const [a1] = alice;
    const t0 = Date.now();
    await a1.page.close(); // in mode leader: the leader tab, so the core moves to another tab
    a1.gone = true;
    const a2 = live()[0];
    await call(a2, "groups");
    console.log(`${mode}: the next call answered ${Date.now() - t0} ms after the first tab closed`);
    await round(live(), bob, "after");
  });

  test("close() in a tab closes only that tab's view", async () => {
    const [a2, a3] = live();
    await a2.page.evaluate(() => chat.close());
    a2.gone = true;
    assert.deepEqual(await a2.page.evaluate(() => events.filter((e) => e.type === "closed")), [{ type: "closed", reason: "closed" }]);
    assert.equal(await a2.page.evaluate(() => chat.groups().then(() => "ok", (e) => e.code)), "CLOSED");
    assert.deepEqual(await a3.page.evaluate(() => events.filter((e) => e.type === "closed")), [], "the other tab is not closed");
    await round(live(), bob, "one view closed");
  });

  test("a tab crashes while sending: nothing it was told is lost, nothing is sent twice", async () => {
    const a4 = await tab("alice-4");
    const [a3] = live();
    const s = startSending(a4, "crash", 60);
    await until(() => s.told.size >= 5, { what: "some sends resolved" });
    await crash(a4);
    a4.gone = true;
    assert.equal(await s.done, null, "the sending tab crashed before it was done");
    const stored = await nothingLostOrTwice(a3, bob, "crash", s.told);
    console.log(`${mode}: ${s.told.size} sends told, ${stored.length} stored, of 60 started`);
    await round(live(), bob, "after the crash");
  });

  // The core dies under a tab that sends, reads and makes invitations: in mode
  // leader its tab crashes; in mode shared the SharedWorker is killed (CDP).
  const killCore = async () => {
    if (mode === "leader") {
      const leader = live()[0]; // alice-3: the leader since alice-2 closed
      await crash(leader);
      leader.gone = true;
      return;
    }
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send("Target.getTargets");
    const worker = targetInfos.find((t) => t.type === "shared_worker" && t.url.includes("core-worker.js"));
    assert.ok(worker, "the core's SharedWorker is running");
    await cdp.send("Target.closeTarget", { targetId: worker.targetId });
    await cdp.detach();
  };
  const whose = mode === "leader" ? "the leader tab crashes" : "the SharedWorker dies";
  test(`${whose} while another tab sends: every send and read resolves once, other calls complete or reject MOVED`, async () => {
    const a5 = await tab("alice-5");
    const s = startSending(a5, "core crash", 60);
    // While the core moves: reads (sent again, like sends) and calls that may not run twice.
    const calls = a5.page.evaluate(async (g) => {
      const out = { reads: 0, readErrors: [], invitations: 0, invitationErrors: [] };
      const t0 = Date.now();
      await Promise.all([
        (async () => {
          while (Date.now() - t0 < 4000) await chat.messages({ groupId: g, limit: 5 }).then(() => out.reads++, (e) => out.readErrors.push(e.code));
        })(),
        (async () => {
          while (Date.now() - t0 < 4000) await chat.createInvitation().then(() => out.invitations++, (e) => out.invitationErrors.push(e.code));
        })(),
      ]);
      return out;
    }, a5.groupId);
    await until(() => s.told.size >= 5, { what: "some sends resolved" });
    await killCore();
    const results = await s.done;
    assert.deepEqual(results.filter((r) => r !== "ok"), [], "every send resolved (the ones the dead core had were sent again)");
    const c = await calls;
    assert.deepEqual(c.readErrors, [], "reads are sent again");
    assert.ok(c.invitationErrors.every((code) => code === "MOVED"), `createInvitation failed only with MOVED: ${c.invitationErrors}`);
    assert.ok(c.reads > 0 && c.invitations > 0);
    const stored = await nothingLostOrTwice(a5, bob, "core crash", s.told);
    assert.equal(stored.length, 60, "all 60 stored");
    console.log(`${mode}, core killed: ${c.reads} reads, ${c.invitations} invitations made, ${c.invitationErrors.length} MOVED`);
    await round(live(), bob, "next core");
  });

  test("the core stops when the last tab is gone", async () => {
    for (const t of live()) { await t.page.close(); t.gone = true; }
    const page = await apiPage(aliceCtx, server.url, "alice-later");
    const holders = () => page.evaluate(async () => (await navigator.locks.query()).held.map((l) => l.name).filter((n) => n === "sxweb:alice"));
    await until(async () => (await holders()).length === 0, { what: "nobody holds database alice" });
    const later = { name: "alice-later", page, groupId: alice[0].groupId };
    assert.equal((await startIn(page, "alice")).mode, mode);
    assert.ok(texts(await call(later, "messages", { groupId: later.groupId })).includes("three alice-1 0"), "the history is there");
  });
}
