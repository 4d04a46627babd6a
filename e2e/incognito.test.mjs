// incognito.test.mjs — joining a group incognito, through the JS API of the real
// core: carol joins alice's group (direct messages on) with a random profile; alice
// and bob only ever see that random name, never carol's real profile, in members,
// messages, contacts or events. Member contacts made with her (bob asks her; she
// asks alice) carry the incognito name on the other side and are marked incognito
// on hers. Carol sees her own random name (incognitoName) in groups() and in those
// contacts, equal to what alice and bob see, and the app shows it to her.
import assert from "node:assert/strict";
import { storySuite, apiPage, call, until } from "./lib.mjs";

const REAL = { displayName: "Carolina Realname", fullName: "Carolina Q. Private" };
let server, browser;
const users = {};

// Each step needs the previous ones: after a failure the rest are skipped.
const test = storySuite((s, b) => { server = s; browser = b; });

// db: the app (index.html) opens the default database, so carol's is "simplex" (each
// user has a browser context of its own) for the last step to open her state in the app.
async function user(name, profile, db = name) {
  const ctx = await browser.newContext();
  const page = await apiPage(ctx, server.url, name);
  await page.evaluate(async (db) => {
    const { start } = await import("/web/simplex.js");
    globalThis.chat = await start({ db });
    globalThis.events = [];
    for (const t of ["message", "member", "contact", "group", "delivery", "error"]) chat.on(t, (ev) => events.push(ev));
  }, db);
  const u = { name, ctx, page };
  await call(u, "setProfile", profile);
  users[name] = u;
  return u;
}

/** Everything u's client can tell about the others: lists, histories and every event so far. */
async function everything(u) {
  const groups = await call(u, "groups");
  const contacts = await call(u, "contacts");
  const out = { groups, contacts, events: await u.page.evaluate(() => events) };
  for (const g of groups) {
    out[`members ${g.groupId}`] = await call(u, "members", g.groupId);
    out[`messages ${g.groupId}`] = await call(u, "messages", { groupId: g.groupId });
  }
  for (const c of contacts) out[`direct ${c.contactId}`] = await call(u, "messages", { contactId: c.contactId });
  return JSON.stringify(out);
}

async function neverSeesRealProfile(u) {
  const seen = await everything(u);
  for (const s of ["Carolina", "Realname", "Private"]) assert.ok(!seen.includes(s), `${u.name} sees "${s}" of carol's real profile`);
}

let incognitoName = "", carolMemberId = "";

test("carol joins alice's group incognito; alice and bob see only her random name", async () => {
  const alice = await user("alice", { displayName: "alice", fullName: "" });
  const bob = await user("bob", { displayName: "bob", fullName: "" });
  const carol = await user("carol", REAL, "simplex");
  alice.groupId = (await call(alice, "createGroup", { displayName: "Masquerade", fullName: "", directMessages: "on" })).groupId;
  const link = await call(alice, "createGroupLink", alice.groupId);
  bob.groupId = (await call(bob, "joinGroup", link, { incognito: false })).groupId;
  await until(async () => (await call(bob, "members", bob.groupId)).some((m) => m.displayName === "alice" && m.status === "connected"),
    { what: "bob joined", timeout: 60000 });
  carol.groupId = (await call(carol, "joinGroup", link, { incognito: true })).groupId;
  for (const u of [alice, bob, carol]) {
    await until(async () => {
      const ms = await call(u, "members", u.groupId);
      return ms.length === 2 && ms.every((m) => m.status === "connected");
    }, { what: `${u.name} sees 2 connected members`, timeout: 90000 });
  }
  const g = (await call(carol, "groups")).find((x) => x.groupId === carol.groupId);
  assert.equal(g.incognito, true);
  carolMemberId = g.memberId;
  assert.equal((await call(carol, "getProfile")).displayName, REAL.displayName, "her own profile is unchanged");

  const atAlice = (await call(alice, "members", alice.groupId)).find((m) => m.memberId === carolMemberId);
  const atBob = (await call(bob, "members", bob.groupId)).find((m) => m.memberId === carolMemberId);
  assert.ok(atAlice && atBob, "alice and bob both list carol's member id");
  incognitoName = atAlice.displayName;
  assert.ok(incognitoName && incognitoName !== REAL.displayName, `a random name: "${incognitoName}"`);
  assert.equal(atBob.displayName, incognitoName, "bob sees the same random name as alice");
  assert.equal(g.incognitoName, incognitoName, "carol's groups() shows the name alice and bob see");
  const carolGroupEvents = (await carol.page.evaluate(() => events)).filter((e) => e.type === "group" && e.groupId === carol.groupId);
  assert.ok(carolGroupEvents.length > 0 && carolGroupEvents.every((e) => e.incognitoName === incognitoName), "and so does every group event of hers");
  for (const u of [alice, bob]) {
    const own = (await call(u, "groups")).find((x) => x.groupId === u.groupId);
    assert.equal(own.incognito, false);
    assert.equal(own.incognitoName, undefined, `${u.name} is not incognito: no incognitoName`);
  }

  await call(carol, "sendGroupMessage", carol.groupId, "hello from behind the mask");
  for (const u of [alice, bob]) {
    const m = await until(async () => (await call(u, "messages", { groupId: u.groupId })).find((x) => x.text === "hello from behind the mask"),
      { what: `${u.name} gets carol's message` });
    assert.equal(m.sender, carolMemberId);
    await neverSeesRealProfile(u);
  }
});

test("a member contact with the incognito member: bob asks carol; her random name on his side, incognito on hers", async () => {
  const { bob, carol } = users;
  const { contactId } = await call(bob, "startDirectChat", bob.groupId, carolMemberId, "hi, whoever you are");
  assert.equal((await call(bob, "contacts")).find((c) => c.contactId === contactId).displayName, incognitoName);
  const req = await until(async () => (await call(carol, "contacts")).find((c) => c.status === "request"), { what: "carol gets bob's request" });
  assert.equal(req.displayName, "bob");
  assert.equal(req.incognito, true, "carol's side: the contact uses her incognito profile");
  assert.equal(req.incognitoName, incognitoName, "carol's contact shows the name bob sees");
  await call(carol, "acceptDirectChat", req.contactId);
  await call(carol, "sendDirectMessage", req.contactId, "hi bob, still masked");
  await until(async () => (await call(bob, "messages", { contactId })).some((m) => m.text === "hi bob, still masked"), { what: "bob gets carol's reply" });
  await until(async () => (await call(bob, "contacts")).find((c) => c.contactId === contactId)?.status === "connected", { what: "bob connected" });
  const atBob = (await call(bob, "contacts")).find((c) => c.contactId === contactId);
  assert.equal(atBob.displayName, incognitoName, "after connecting, still the random name");
  assert.equal(atBob.memberId, carolMemberId);
  const atCarol = (await call(carol, "contacts")).find((c) => c.contactId === req.contactId);
  assert.equal(atCarol.status, "connected");
  assert.equal(atCarol.incognito, true);
  assert.equal(atCarol.incognitoName, incognitoName, "once connected, the name bob sees");
  assert.equal(atBob.incognitoName, undefined, "bob is not incognito");
  carol.bobContact = req.contactId;
  await neverSeesRealProfile(bob);
});

test("a member contact the incognito member starts: carol asks alice; alice sees the random name", async () => {
  const { alice, carol } = users;
  const host = (await call(carol, "members", carol.groupId)).find((m) => m.displayName === "alice");
  const { contactId } = await call(carol, "startDirectChat", carol.groupId, host.memberId, "hello alice, incognito here");
  const mine = (await call(carol, "contacts")).find((c) => c.contactId === contactId);
  assert.equal(mine.incognito, true);
  assert.equal(mine.incognitoName, incognitoName, "the contact carol starts shows her random name too");
  const req = await until(async () => (await call(alice, "contacts")).find((c) => c.status === "request"), { what: "alice gets carol's request" });
  assert.equal(req.displayName, incognitoName);
  assert.equal(req.memberId, carolMemberId);
  assert.equal(req.incognito, false, "alice is not incognito");
  assert.equal(req.incognitoName, undefined);
  await call(alice, "acceptDirectChat", req.contactId);
  await until(async () => (await call(alice, "messages", { contactId: req.contactId })).some((m) => m.text === "hello alice, incognito here"),
    { what: "alice gets the first message" });
  await until(async () => (await call(carol, "contacts")).find((c) => c.contactId === contactId)?.status === "connected", { what: "carol connected" });
  assert.equal((await call(alice, "contacts")).find((c) => c.contactId === req.contactId).displayName, incognitoName);
  assert.equal((await call(carol, "contacts")).find((c) => c.contactId === contactId).incognitoName, incognitoName);
  await neverSeesRealProfile(alice);
  await neverSeesRealProfile(users.bob);
});

test("the app shows carol the name she appears as: group header, members screen, direct chat", async () => {
  const { carol } = users;
  await carol.page.evaluate(() => globalThis.chat.close()); // the app opens the same database
  const line = async (hash, where) => {
    await carol.page.goto(`${server.url}${hash}`);
    const el = carol.page.locator(".chat-head .incognito-as");
    await el.waitFor({ timeout: 30000 });
    assert.equal((await el.textContent()).trim(), `You appear as ${incognitoName} ${where}`, hash);
  };
  await line(`#/group/${encodeURIComponent(carol.groupId)}`, "in this group");
  await line(`#/group/${encodeURIComponent(carol.groupId)}/members`, "in this group");
  await line(`#/contact/${encodeURIComponent(carol.bobContact)}`, "in this chat");
});
