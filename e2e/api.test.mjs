// api.test.mjs — three users in three browser contexts drive the real Go core
// (wasm + IndexedDB) through the JS API of web/simplex.js, against cmd/serve's
// embedded relay: a group with direct messages on, two members join by link,
// every group message reaches everyone, stats() counts N-1 group connections
// and no direct ones; a direct chat started with a first message, a second
// queued while pending, accepted, both delivered in order; a reload keeps
// everything; a message written while offline is delivered after reconnect; a
// second tab shares the running core, and a page that takes over runs it alone.
import assert from "node:assert/strict";
import { storySuite, apiPage, call, until } from "./lib.mjs";
import { NO_SHARED_WORKER } from "./tabslib.mjs";

let server, browser;
const users = {};

// Each step needs the previous ones: after a failure the rest are skipped.
const test = storySuite((s, b) => { server = s; browser = b; });

async function startChat(page, db, opts = {}) {
  return page.evaluate(async ([db, opts]) => {
    const { start } = await import("/web/simplex.js");
    try {
      globalThis.chat = await start({ db, ...opts });
    } catch (e) {
      return { error: e.code || e.message };
    }
    globalThis.events = [];
    for (const t of ["message", "member", "contact", "group", "delivery", "error", "closed"]) chat.on(t, (ev) => events.push(ev));
    return { ok: true, persisted: chat.persisted, mode: chat.mode };
  }, [db, opts]);
}

const texts = (msgs) => msgs.map((m) => m.text);

test("alice, bob and carol: a group with direct messages on, joined by link", async () => {
  for (const name of ["alice", "bob", "carol"]) {
    const ctx = await browser.newContext();
    // carol's browser has no SharedWorker (her core runs in a leader tab's
    // worker): Playwright's setOffline, used for her below, reaches pages and
    // dedicated workers but not SharedWorkers.
    if (name === "carol") await ctx.addInitScript(NO_SHARED_WORKER);
    const page = await apiPage(ctx, server.url, name);
    const r = await startChat(page, name);
    assert.equal(r.ok, true, `${name} start: ${r.error}`);
    users[name] = { name, ctx, page };
    await call(users[name], "setProfile", { displayName: name, fullName: "" });
    assert.equal((await call(users[name], "getProfile")).displayName, name);
  }
  const { alice, bob, carol } = users;
  const { groupId } = await call(alice, "createGroup", { displayName: "Team", fullName: "", directMessages: "on" });
  alice.groupId = groupId;
  const link = await call(alice, "createGroupLink", groupId);
  assert.match(link, /#\/join\//);
  assert.ok(link.startsWith(server.url), `link ${link} is a URL of this app`);
  for (const u of [bob, carol]) {
    u.groupId = (await call(u, "joinGroup", link, { incognito: false })).groupId;
    // wait for each join to complete before the next, as people do
    await until(async () => (await call(u, "members", u.groupId)).some((m) => m.displayName === "alice" && m.status === "connected"),
      { what: `${u.name} connected to alice`, timeout: 60000 });
  }
  for (const u of [alice, bob, carol]) {
    await until(async () => {
      const ms = await call(u, "members", u.groupId);
      return ms.length === 2 && ms.every((m) => m.status === "connected");
    }, { what: `${u.name} sees 2 connected members`, timeout: 60000 });
    const g = (await call(u, "groups")).find((x) => x.groupId === u.groupId);
    assert.equal(g.directMessages, "on");
  }
});

test("every group message reaches everyone; stats count N-1 group connections and 0 direct", async () => {
  const all = Object.values(users);
  for (const u of all) await call(u, "sendGroupMessage", u.groupId, `hello from ${u.name}`);
  const want = all.map((u) => `hello from ${u.name}`).sort();
  for (const u of all) {
    await until(async () => {
      const got = texts(await call(u, "messages", { groupId: u.groupId })).sort();
      return JSON.stringify(got) === JSON.stringify(want);
    }, { what: `${u.name} has all 3 messages` });
    // "connected" members include those the host still forwards for: wait for
    // the member-to-member group connections themselves.
    await until(async () => (await call(u, "stats")).groupConnections === 2, { what: `${u.name} has 2 group connections`, timeout: 60000 });
    const s = await call(u, "stats");
    assert.equal(s.groupConnections, 2, `${u.name} stats ${JSON.stringify(s)}`);
    assert.equal(s.directConnections, 0, `${u.name} stats ${JSON.stringify(s)}`);
  }
  const mine = (await call(users.alice, "messages", { groupId: users.alice.groupId })).filter((m) => m.sender === "me");
  await until(async () => (await call(users.alice, "messages", { groupId: users.alice.groupId }))
    .filter((m) => m.sender === "me").every((m) => m.status === "delivered"), { what: "alice's message delivered" });
  assert.equal(mine.length, 1);
});

test("history pages: the newest `limit` before a message, oldest first", async () => {
  const { alice } = users;
  for (let i = 0; i < 5; i++) await call(alice, "sendGroupMessage", alice.groupId, `page test ${i}`);
  const ids = (ms) => ms.map((m) => m.messageId);
  const all = await call(alice, "messages", { groupId: alice.groupId });
  assert.equal(all.length, 8);
  const newest = await call(alice, "messages", { groupId: alice.groupId, limit: 3 });
  assert.deepEqual(texts(newest), ["page test 2", "page test 3", "page test 4"]);
  const before = await call(alice, "messages", { groupId: alice.groupId, limit: 3, before: newest[0].messageId });
  assert.deepEqual(ids(before), ids(all.slice(2, 5)));
  const first = await call(alice, "messages", { groupId: alice.groupId, limit: 3, before: before[0].messageId });
  assert.deepEqual(ids(first), ids(all.slice(0, 2)), "the last page is short");
  assert.deepEqual(await call(alice, "messages", { groupId: alice.groupId, limit: 3, before: first[0].messageId }), [], "then empty: the start");
  await assert.rejects(call(alice, "messages", { groupId: alice.groupId, limit: 3, before: "no-such-message" }), (e) => e.code === "NOT_FOUND");
  await assert.rejects(call(alice, "messages", { groupId: alice.groupId, limit: -1 }), (e) => e.code === "BAD_REQUEST");
});

test("a direct chat: first message, a second queued while pending, accepted, both in order", async () => {
  const { bob, carol } = users;
  const carolM = (await call(bob, "members", bob.groupId)).find((m) => m.displayName === "carol");
  const { contactId } = await call(bob, "startDirectChat", bob.groupId, carolM.memberId, "hi carol, bob here");
  await call(bob, "sendDirectMessage", contactId, "second, written while pending");
  const pending = (await call(bob, "contacts")).find((c) => c.contactId === contactId);
  assert.ok(["pending", "connecting"].includes(pending.status), `bob's contact is ${pending.status}`);
  const req = await until(async () => (await call(carol, "contacts")).find((c) => c.status === "request"), { what: "carol gets a request" });
  assert.equal(req.displayName, "bob");
  await call(carol, "acceptDirectChat", req.contactId);
  await until(async () => {
    const got = texts(await call(carol, "messages", { contactId: req.contactId }));
    return JSON.stringify(got) === JSON.stringify(["hi carol, bob here", "second, written while pending"]);
  }, { what: "carol has both direct messages in order" });
  await until(async () => (await call(bob, "contacts")).find((c) => c.contactId === contactId)?.status === "connected", { what: "bob connected" });
  await call(carol, "sendDirectMessage", req.contactId, "hi bob");
  await until(async () => texts(await call(bob, "messages", { contactId })).includes("hi bob"), { what: "bob gets the reply" });
  for (const u of [bob, carol]) assert.equal((await call(u, "stats")).directConnections, 1);
  assert.equal((await call(users.alice, "stats")).directConnections, 0);
  bob.contactId = contactId;
  carol.contactId = req.contactId;
});

test("a group with direct messages off refuses a direct chat", async () => {
  const { alice, bob } = users;
  const { groupId } = await call(alice, "createGroup", { displayName: "Quiet", fullName: "", directMessages: "off" });
  const { groupId: bobG } = await call(bob, "joinGroup", await call(alice, "createGroupLink", groupId), { incognito: false });
  const host = await until(async () => (await call(bob, "members", bobG)).find((m) => m.displayName === "alice" && m.status === "connected"),
    { what: "bob joined Quiet" });
  assert.equal((await call(bob, "groups")).find((g) => g.groupId === bobG).directMessages, "off");
  await assert.rejects(call(bob, "startDirectChat", bobG, host.memberId, "hi"), (e) => e.code === "DIRECT_MESSAGES_OFF");
  await call(bob, "leaveGroup", bobG);
  await call(alice, "deleteGroup", groupId);
  assert.equal((await call(alice, "groups")).find((g) => g.groupId === groupId).status, "deleted");
  assert.equal((await call(bob, "groups")).find((g) => g.groupId === bobG).status, "left");
});

test("a reload keeps everything", async () => {
  const { bob } = users;
  const before = { groups: await call(bob, "groups"), contacts: await call(bob, "contacts"),
    group: texts(await call(bob, "messages", { groupId: bob.groupId })), direct: texts(await call(bob, "messages", { contactId: bob.contactId })) };
  await bob.page.reload();
  assert.equal((await startChat(bob.page, "bob")).ok, true);
  assert.deepEqual(await call(bob, "groups"), before.groups);
  assert.deepEqual((await call(bob, "contacts")).map((c) => [c.contactId, c.status]), before.contacts.map((c) => [c.contactId, c.status]));
  assert.deepEqual(texts(await call(bob, "messages", { groupId: bob.groupId })), before.group);
  assert.deepEqual(texts(await call(bob, "messages", { contactId: bob.contactId })), before.direct);
  await call(bob, "sendGroupMessage", bob.groupId, "after reload");
  for (const u of [users.alice, users.carol]) {
    await until(async () => texts(await call(u, "messages", { groupId: u.groupId })).includes("after reload"), { what: `${u.name} gets it` });
  }
});

test("a message written offline is delivered after reconnect", async () => {
  const { carol } = users;
  await carol.ctx.setOffline(true);
  await call(carol, "sendGroupMessage", carol.groupId, "written offline");
  const m = (await call(carol, "messages", { groupId: carol.groupId })).find((x) => x.text === "written offline");
  assert.ok(m, "the message is stored at once");
  // simplex.js calls chat.reconnect() on the browser's online event (counted here)
  await carol.page.evaluate(() => {
    const reconnect = chat.reconnect;
    globalThis.reconnects = 0;
    chat.reconnect = (...a) => { globalThis.reconnects++; return reconnect(...a); };
  });
  await carol.ctx.setOffline(false);
  await until(() => carol.page.evaluate(() => globalThis.reconnects), { what: "reconnect() on the online event" });
  await call(carol, "reconnect"); // resolves; calling it again is harmless
  for (const u of [users.alice, users.bob]) {
    await until(async () => texts(await call(u, "messages", { groupId: u.groupId })).includes("written offline"),
      { what: `${u.name} gets carol's offline message`, timeout: 90000 });
  }
});

test("a second tab shares the running core; a page that takes over runs it alone", async () => {
  const { alice } = users;
  const second = await apiPage(alice.ctx, server.url, "alice-2");
  const r = await startChat(second, "alice");
  assert.deepEqual(r, { ok: true, persisted: r.persisted, mode: "shared" });
  // one core: what the second tab sends is an event in the first, and in its history
  await call({ name: "alice-2", page: second }, "sendGroupMessage", alice.groupId, "from the second tab");
  await until(() => alice.page.evaluate(() => events.some((e) => e.type === "message" && e.text === "from the second tab")),
    { what: "the first tab sees the second tab's message" });
  assert.ok(texts(await call(alice, "messages", { groupId: alice.groupId })).includes("from the second tab"));

  const third = await apiPage(alice.ctx, server.url, "alice-3");
  const t = await startChat(third, "alice", { takeover: true });
  assert.equal(t.mode, "solo");
  for (const p of [alice.page, second]) {
    await until(() => p.evaluate(() => events.some((e) => e.type === "closed" && e.reason === "takeover")), { what: "a shared tab closed" });
    assert.equal(await p.evaluate(async () => { try { await chat.groups(); return "ok"; } catch (e) { return e.code; } }), "CLOSED");
  }
  const groups = await third.evaluate(() => chat.groups());
  assert.deepEqual(groups.filter((g) => g.status === "active").map((g) => g.displayName), ["Team"]);
  // held alone: another tab is refused
  assert.deepEqual(await startChat(second, "alice"), { error: "LOCKED" });
  alice.page = third;
});

test("a one-time invitation connects two people directly", async () => {
  const { alice, carol } = users;
  const { link, contactId } = await call(alice, "createInvitation");
  assert.ok(link.startsWith(`${server.url}#/join/`), link);
  assert.equal((await call(alice, "contacts")).find((c) => c.contactId === contactId).status, "pending");
  const { contactId: carolSide } = await call(carol, "connect", link);
  await call(carol, "sendDirectMessage", carolSide, "hello via invitation");
  await until(async () => (await call(alice, "contacts")).find((c) => c.contactId === contactId)?.status === "connected", { what: "alice connected" });
  await until(async () => texts(await call(alice, "messages", { contactId })).includes("hello via invitation"), { what: "alice gets it" });
});
