// chatlist.test.mjs — the app's message list redraws only what changed
// (web/chatpane.js, web/keyed.js), on the real core and relay: bob (the JS API,
// a browser context of his own) writes in a group, alice reads it in the app.
// Every bubble's element is marked in alice's page; a message that arrives
// leaves the marked ones in place (and the focus where it was), while an edit, a
// reaction and a delivery mark each show at once in their own bubble. At the
// bottom the list keeps the newest AT_END (200) messages, cut back to them once
// SLACK (50) more came; older ones come back when scrolled to, and a message arriving while alice reads the history does
// not move what she is reading.
import assert from "node:assert/strict";
import { storySuite, apiPage, call, until, watch, DESKTOP } from "./lib.mjs";

const AT_END = 200, SLACK = 50; // web/chatpane.js
let server, browser;
const u = {};
const test = storySuite((s, b) => { server = s; browser = b; });

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** alice's bubble whose own text is exactly text. */
const bubbleOf = (text) => u.alice.page.locator(".messages .msg").filter({ has: u.alice.page.locator(":scope > .text", { hasText: new RegExp(`^${esc(text)}$`) }) });
const idOf = async (text) => (await call(u.bob, "messages", { groupId: u.gid })).find((m) => m.text === text).messageId;

/** Marks every bubble element of alice's list; resolves how many. */
const markAll = () => u.alice.page.evaluate(() => {
  const all = document.querySelectorAll(".messages .msg");
  for (const li of all) li.__kept = true;
  return all.length;
});
/** The texts of the marked bubbles still in alice's list (the same elements). */
const kept = () => u.alice.page.evaluate(() => [...document.querySelectorAll(".messages .msg")].filter((li) => li.__kept)
  .map((li) => li.querySelector(":scope > .text")?.textContent));
const bobSends = (texts) => u.bob.page.evaluate(async ([g, texts]) => {
  for (let i = 0; i < texts.length; i += 50) await Promise.all(texts.slice(i, i + 50).map((t) => chat.sendGroupMessage(g, t)));
}, [u.gid, texts]);

test("bob makes a group and writes; alice joins it and opens it in the app", async () => {
  const bctx = await browser.newContext();
  u.bob = { name: "bob", page: await apiPage(bctx, server.url, "bob") };
  await u.bob.page.evaluate(async () => {
    const { start } = await import("/web/simplex.js");
    globalThis.chat = await start({ db: "bob" });
  });
  await call(u.bob, "setProfile", { displayName: "bob", fullName: "" });
  u.gid = (await call(u.bob, "createGroup", { displayName: "Long chat", fullName: "", directMessages: "off" })).groupId;
  const link = await call(u.bob, "createGroupLink", u.gid);

  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  watch(page, "alice");
  u.alice = { name: "alice", page };
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await page.evaluate(() => sxapp.chat.setProfile({ displayName: "alice", fullName: "" }));
  const gid = await page.evaluate(async (link) => (await sxapp.chat.joinGroup(link, {})).groupId, link);
  await until(async () => (await call(u.bob, "members", u.gid)).some((m) => m.status === "connected"), { what: "alice joined", timeout: 120000 });
  await page.goto(`${server.url}#/group/${encodeURIComponent(gid)}`);
  await page.reload(); // the app read no profile when it started
  await page.waitForSelector(".chat-view .messages", { timeout: 60000 });
  await bobSends(["one", "two", "three"]);
  for (const t of ["one", "two", "three"]) await bubbleOf(t).waitFor({ timeout: 60000 });
});

test("a message arriving rebuilds no other bubble, and the focus stays on the message alice is on", async () => {
  assert.equal(await markAll(), 3);
  await bubbleOf("two").getByRole("button", { name: "Message actions" }).focus();
  await bobSends(["four"]);
  await bubbleOf("four").waitFor({ timeout: 60000 });
  assert.deepEqual(await kept(), ["one", "two", "three"]);
  const focused = await u.alice.page.evaluate(() => ({ kept: !!document.activeElement.closest(".msg").__kept, text: document.activeElement.closest(".msg").querySelector(":scope > .text").textContent }));
  assert.deepEqual(focused, { kept: true, text: "two" });
});

test("an edit, a reaction and a delivery mark each show in their bubble; the others stay as they were", async () => {
  await markAll();
  await call(u.bob, "editMessage", await idOf("two"), "two, edited");
  await until(async () => (await bubbleOf("two, edited").locator(".edited").count()) === 1, { what: "alice sees the edit, marked edited" });
  assert.deepEqual(await kept(), ["one", "three", "four"], "only the edited bubble was drawn again");

  await markAll();
  await call(u.bob, "react", await idOf("three"), "👍", true);
  const chip = bubbleOf("three").locator(".reaction[data-emoji='👍']");
  await until(async () => (await chip.count()) === 1 && (await chip.innerText()) === "👍 1", { what: "alice sees 👍 1 on three" });
  assert.deepEqual(await kept(), ["one", "two, edited", "four"]);

  await markAll();
  const box = u.alice.page.getByRole("textbox", { name: "Message" });
  await box.fill("from alice");
  await box.press("Enter");
  const mine = bubbleOf("from alice");
  await until(async () => (await mine.count()) === 1 && (await mine.getAttribute("data-status")) === "delivered", { what: "alice's message marked delivered", timeout: 60000 });
  assert.equal(await mine.locator(".st").innerText(), "✓✓");
  assert.deepEqual(await kept(), ["one", "two, edited", "three", "four"]);
});

test("at the bottom the list keeps the newest 200 messages; older ones come back when scrolled to", async () => {
  const texts = Array.from({ length: 300 }, (_, i) => `burst ${i}`);
  await bobSends(texts);
  // The burst may come in any order: wait for all of it, then count.
  const inList = () => u.alice.page.evaluate(() => document.querySelectorAll(".messages .msg").length);
  await until(async () => (await u.alice.page.evaluate(() => sxapp.chat.messages({ groupId: sxapp.route.groupId, limit: 1000 }))).length >= 305,
    { what: "alice's history has all 305", timeout: 300000, interval: 1000 });
  await bobSends(["after the burst"]);
  await bubbleOf("after the burst").waitFor({ timeout: 60000 });
  const n = await inList();
  assert.ok(n >= AT_END && n <= AT_END + SLACK, `${n} messages in the list`);
  assert.equal(await bubbleOf("one").count(), 0, "the oldest left the list");
  const more = u.alice.page.getByRole("button", { name: "Load earlier messages" });
  assert.equal(await more.count(), 1);
  // Scrolled to the top, the pages before come back until the first message.
  await until(async () => {
    await u.alice.page.evaluate(() => { document.querySelector(".chat-view .scroller").scrollTop = 0; });
    return (await bubbleOf("one").count()) === 1;
  }, { what: "the first message back after scrolling up", timeout: 60000, interval: 500 });
  assert.equal(await inList(), 306);
});

test("a message arriving while alice reads the history moves nothing she sees, and the list keeps it all", async () => {
  const page = u.alice.page;
  await markAll();
  const topOf = () => page.evaluate(() => {
    const view = document.querySelector(".chat-view .scroller").getBoundingClientRect();
    const li = [...document.querySelectorAll(".messages .msg")].find((x) => x.getBoundingClientRect().top >= view.top);
    return { text: li.querySelector(":scope > .text").textContent, top: Math.round(li.getBoundingClientRect().top) };
  });
  const before = await topOf();
  await bobSends(["while reading"]);
  await until(async () => (await bubbleOf("while reading").count()) === 1, { what: "the new message in the list" });
  assert.deepEqual(await topOf(), before);
  assert.equal((await kept()).length, 306, "no bubble was drawn again or dropped");
  // Back at the bottom, the list is cut back again (at the next drawing: this message's, or before).
  await page.evaluate(() => { const s = document.querySelector(".chat-view .scroller"); s.scrollTop = s.scrollHeight; });
  await bobSends(["back at the bottom"]);
  await until(async () => (await bubbleOf("back at the bottom").count()) === 1, { what: "the last message" });
  const n = await page.evaluate(() => document.querySelectorAll(".messages .msg").length);
  assert.ok(n >= AT_END && n <= AT_END + SLACK, `${n} messages in the list`);
  assert.equal(await bubbleOf("one").count(), 0, "the oldest left the list again");
});
