// features.test.mjs — the message features through the app's UI on the real core
// and relay: alice (owner, desktop), bob (desktop) and carol (phone) in one group.
// Replies (the quote in the bubble jumps to the original), edits ("edited" on
// the other side), deletes for everyone and for me with a confirmation,
// moderation ("Removed by an admin"), reactions (counts, mine highlighted, off by
// the owner), @-mentions with completion, a disappearing message (gone on both
// sides), unread counts in the list and the title with the divider, and
// notifications while the page is hidden (Notification wrapped by an init script,
// visibility emulated). Also the name (title, manifest, the not-SimpleX sentence)
// and the create-group hint. Screenshots of each state: e2e/screenshots/features-*.
import assert from "node:assert/strict";
import { storySuite, until, watch, shot, PHONE, DESKTOP } from "./lib.mjs";

let server, browser;
const u = {};
const test = storySuite((s, b) => { server = s; browser = b; });

// Runs in alice's pages before the app: records every Notification made and every
// app badge set, and lets the test hide the page (headless Chromium keeps every
// page visible).
function spy() {
  globalThis.__notes = [];
  const Real = globalThis.Notification;
  globalThis.Notification = class {
    constructor(title, o = {}) { globalThis.__notes.push({ title, body: o.body, tag: o.tag }); }
    close() {}
    static get permission() { return Real.permission; }
    static requestPermission() { return Real.requestPermission(); }
  };
  let hidden = false;
  Object.defineProperty(Document.prototype, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => hidden });
  globalThis.__setHidden = (v) => { hidden = v; document.dispatchEvent(new Event("visibilitychange")); };
  // The app badge of an installed app: 0 records a clear.
  globalThis.__badges = [];
  Navigator.prototype.setAppBadge = (n) => { globalThis.__badges.push(n); return Promise.resolve(); };
  Navigator.prototype.clearAppBadge = () => { globalThis.__badges.push(0); return Promise.resolve(); };
}

async function person(name, viewport, url = server.url, init = null) {
  const ctx = await browser.newContext({ viewport });
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  watch(page, name);
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  u[name] = { name, ctx, page };
  return u[name];
}

async function onboard(p) {
  await p.page.getByLabel("Display name").fill(p.name);
  await p.page.getByRole("button", { name: "Create profile" }).click();
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The bubble whose own text is exactly text (not one quoting it). */
const bubbleOf = (page, text) => page.locator(".messages .msg").filter({ has: page.locator(":scope > .text", { hasText: new RegExp(`^${esc(text)}$`) }) });
const api = (p, fn, arg) => p.page.evaluate(fn, arg);
const groupOf = async (p) => (await api(p, () => sxapp.chat.groups())).find((g) => g.displayName === "Hearth club");

async function openGroup(p) {
  if (!(await p.page.locator(`body[data-route='group']`).count())) await p.page.goto(`${server.url}#/group/${encodeURIComponent(p.groupId)}`);
  await p.page.waitForSelector(".chat-view .messages li");
}

async function send(p, text) {
  const box = p.page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
  await bubbleOf(p.page, text).waitFor();
}

/** Opens the actions of the bubble with text (hover, then its "⋯"). */
async function actions(p, text) {
  const b = bubbleOf(p.page, text);
  await b.hover();
  await b.getByRole("button", { name: "Message actions" }).click();
  const menu = p.page.getByRole("menu", { name: "Message actions" });
  await menu.waitFor();
  return menu;
}

/** Screenshots of the state at both sizes: this page's, then the other width, then back. */
async function shots(p, name) {
  const vp = p.page.viewportSize();
  const phone = vp.width < 720;
  await shot(p.page, `features-${phone ? "phone" : "desktop"}-${name}`);
  await p.page.setViewportSize(phone ? DESKTOP : PHONE);
  await p.page.waitForTimeout(150);
  await shot(p.page, `features-${phone ? "desktop" : "phone"}-${name}`);
  await p.page.setViewportSize(vp);
}

test("the app is called Hearth, says it is not on the SimpleX network, and the group hint tells the truth", async () => {
  const alice = await person("alice", DESKTOP, server.url, spy);
  assert.equal(await alice.page.title(), "Hearth");
  assert.match(await alice.page.locator(".brand").innerText(), /^Hearth$/);
  const manifest = await alice.page.evaluate(async () => (await fetch("web/manifest.webmanifest")).json());
  assert.equal(manifest.name, "Hearth — private group chat");
  assert.equal(manifest.short_name, "Hearth");
  assert.match(await alice.page.locator("main").innerText(), /not on the SimpleX network: it cannot reach SimpleX contacts, and SimpleX apps cannot open its links/);
  await shot(alice.page, "features-desktop-onboarding");
  await onboard(alice);
  await alice.page.getByRole("link", { name: "New group" }).first().click();
  const hint = await alice.page.locator(".field.check .hint").innerText();
  assert.doesNotMatch(hint, /connect to each other directly when they join/);
  assert.match(hint, /later start a private chat/);
  assert.match(hint, /joining makes no direct connections between members/);
  await shots(alice, "new-group-hint");
  await alice.page.getByLabel("Group name").fill("Hearth club");
  await alice.page.getByRole("button", { name: "Create group" }).click();
  const input = alice.page.getByRole("textbox", { name: "Group link" });
  await input.waitFor();
  u.link = await input.inputValue();
  alice.groupId = decodeURIComponent(new URL(alice.page.url()).hash.split("/")[2]);
});

test("bob and carol join; the owner turns on disappearing messages in the group's settings", async () => {
  for (const [name, vp] of [["bob", DESKTOP], ["carol", PHONE]]) {
    const p = await person(name, vp, u.link);
    await onboard(p);
    await p.page.getByRole("button", { name: "Join group", exact: true }).click();
    await p.page.waitForSelector("body[data-route='group']");
    p.groupId = decodeURIComponent(new URL(p.page.url()).hash.split("/")[2]);
  }
  for (const p of [u.alice, u.bob, u.carol]) {
    await until(async () => {
      const ms = await api(p, (id) => sxapp.chat.members(id), p.groupId);
      return ms.length === 2 && ms.every((m) => m.status === "connected");
    }, { what: `${p.name} connected with both others`, timeout: 90000 });
  }
  const { alice } = u;
  await alice.page.goto(`${server.url}#/group/${encodeURIComponent(alice.groupId)}/members`);
  const timed = alice.page.getByRole("switch", { name: "Disappearing messages" });
  assert.equal(await timed.isChecked(), false);
  await timed.check();
  for (const p of [u.bob, u.carol]) await until(async () => (await groupOf(p)).timedMessages === "on", { what: `${p.name} gets timedMessages on` });
  await shots(alice, "group-settings");
  // A member sees the settings but cannot change them.
  await u.bob.page.goto(`${server.url}#/group/${encodeURIComponent(u.bob.groupId)}/members`);
  await u.bob.page.locator(".feature[data-feature='timedMessages'][data-on='true']").waitFor();
  assert.equal(await u.bob.page.getByRole("switch").count(), 0);
  for (const p of [alice, u.bob, u.carol]) await openGroup(p);
});

test("reply: the quote shows in the bubble everywhere, and a click on it jumps to the original", async () => {
  const { alice, bob, carol } = u;
  await send(bob, "Who brings the snacks?");
  // Enough messages after it that it is off carol's phone screen.
  await api(alice, async (id) => { for (let i = 1; i <= 14; i++) await sxapp.chat.sendGroupMessage(id, `filler ${i}`); }, alice.groupId);
  await until(async () => (await bubbleOf(carol.page, "filler 14").count()) === 1, { what: "carol has the fillers" });
  const menu = await actions(alice, "Who brings the snacks?");
  await shot(alice.page, "features-desktop-menu"); // (a resize closes menus: the phone's is carol's, below)
  await menu.getByRole("menuitem", { name: /Reply/ }).click();
  await alice.page.locator(".compose-bar", { hasText: "Replying to bob" }).waitFor();
  await alice.page.getByRole("textbox", { name: "Message" }).fill("I will");
  await shots(alice, "reply-bar");
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
  for (const p of [alice, bob, carol]) {
    const b = bubbleOf(p.page, "I will");
    await until(async () => (await b.count()) === 1 && /Who brings the snacks\?/.test(await b.locator(".quote").innerText()), { what: `${p.name} sees the quote` });
  }
  assert.equal(await alice.page.locator(".compose-bar").isHidden(), true, "the reply bar goes after sending");
  await shots(carol, "reply");
  const original = bubbleOf(carol.page, "Who brings the snacks?");
  const inView = () => carol.page.evaluate(() => {
    const li = [...document.querySelectorAll(".msg")].find((x) => x.querySelector(":scope > .text")?.textContent === "Who brings the snacks?");
    const r = li.getBoundingClientRect(), s = document.querySelector(".scroller").getBoundingClientRect();
    return r.top >= s.top && r.bottom <= s.bottom;
  });
  assert.equal(await inView(), false, "the original starts off screen");
  await bubbleOf(carol.page, "I will").locator(".quote").click();
  await until(async () => (await original.getAttribute("class")).includes("flash") && (await inView()), { what: "the original highlighted on screen" });
  await shot(carol.page, "features-phone-reply-jump");
});

test("edit: the composer switches to editing; the others see the new text marked edited", async () => {
  const { alice, bob } = u;
  const menu = await actions(alice, "I will");
  await menu.getByRole("menuitem", { name: /Edit/ }).click();
  const box = alice.page.getByRole("textbox", { name: "Message" });
  assert.equal(await box.inputValue(), "I will");
  await alice.page.locator(".compose-bar", { hasText: "Editing your message" }).waitFor();
  assert.equal(await alice.page.getByRole("button", { name: "Save" }).count(), 1);
  await box.fill("I will bring the snacks");
  await shots(alice, "edit-bar");
  await box.press("Enter");
  const b = bubbleOf(bob.page, "I will bring the snacks");
  await until(async () => (await b.count()) === 1 && (await b.locator(".edited").count()) === 1, { what: "bob sees the edit, marked" });
  assert.equal(await bubbleOf(bob.page, "I will").count(), 0);
  assert.equal(await alice.page.getByRole("button", { name: "Send" }).count(), 1, "back to sending");
  await shots(bob, "edited");
});

test("keyboard: the list is one tab stop, arrows move between messages, Enter opens the actions, Escape goes back", async () => {
  const { bob } = u;
  const page = bob.page;
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return { label: a.getAttribute("aria-label"), text: a.closest(".msg")?.querySelector(":scope > .text")?.textContent, menu: !!a.closest(".msg-menu") };
  });
  await page.getByRole("textbox", { name: "Message" }).focus();
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused()).label, "Disappearing messages"); // the group allows them
  await page.keyboard.press("Shift+Tab");
  assert.deepEqual(await focused(), { label: "Message actions", text: "I will bring the snacks", menu: false });
  await page.keyboard.press("ArrowUp");
  assert.equal((await focused()).text, "filler 14");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  assert.deepEqual(await focused(), { label: "React with 👍", text: undefined, menu: true });
  await page.keyboard.press("ArrowRight"); // along the emoji
  assert.equal((await focused()).label, "React with 👎");
  await page.keyboard.press("ArrowDown"); // down to the items
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "↩️Reply");
  await shot(page, "features-desktop-menu-keyboard");
  await page.keyboard.press("Escape");
  assert.deepEqual(await focused(), { label: "Message actions", text: "I will bring the snacks", menu: false });
  await page.keyboard.press("Tab"); // on to the composer (the timer select first)
  assert.equal((await focused()).label, "Disappearing messages");
});

test("delete for everyone and for me, each confirmed", async () => {
  const { alice, bob, carol } = u;
  await send(bob, "oops, wrong chat");
  for (const p of [alice, carol]) await bubbleOf(p.page, "oops, wrong chat").waitFor();
  let menu = await actions(bob, "oops, wrong chat");
  await menu.getByRole("menuitem", { name: /Delete/ }).click();
  const dlg = bob.page.getByRole("dialog", { name: "Delete message?" });
  await dlg.waitFor();
  await shots(bob, "delete-dialog");
  await dlg.getByRole("button", { name: "Delete for everyone" }).click();
  for (const p of [alice, bob, carol]) {
    await until(async () => (await p.page.locator(".msg[data-deleted='sender']", { hasText: "Message deleted" }).count()) === 1, { what: `${p.name} sees it deleted` });
    assert.equal(await bubbleOf(p.page, "oops, wrong chat").count(), 0);
  }
  // Carol (a member) can delete alice's message only for herself: no "for everyone" offered.
  menu = await actions(carol, "filler 14");
  await shot(carol.page, "features-phone-menu");
  await menu.getByRole("menuitem", { name: /Delete/ }).click();
  const d2 = carol.page.getByRole("dialog", { name: "Delete message?" });
  await d2.waitFor();
  assert.equal(await d2.getByRole("button", { name: "Delete for everyone" }).count(), 0);
  await shot(carol.page, "features-phone-delete-dialog");
  await d2.getByRole("button", { name: "Delete for me" }).click();
  await until(async () => (await bubbleOf(carol.page, "filler 14").count()) === 0, { what: "gone for carol" });
  await bubbleOf(alice.page, "filler 14").waitFor();
  assert.equal(await bubbleOf(bob.page, "filler 14").count(), 1, "bob keeps it");
  await shots(alice, "deleted");
});

test("moderation: the owner removes a member's message; the others see “Removed by an admin”", async () => {
  const { alice, bob, carol } = u;
  await send(carol, "buy cheap watches");
  await bubbleOf(alice.page, "buy cheap watches").waitFor();
  const menu = await actions(alice, "buy cheap watches");
  await menu.getByRole("menuitem", { name: /Delete/ }).click();
  const dlg = alice.page.getByRole("dialog", { name: "Delete message?" });
  assert.match(await dlg.innerText(), /As an admin/);
  await dlg.getByRole("button", { name: "Delete for everyone" }).click();
  for (const p of [alice, bob, carol]) {
    await until(async () => (await p.page.locator(".msg[data-deleted='moderator']", { hasText: "Removed by an admin" }).count()) === 1, { what: `${p.name} sees it removed` });
  }
  await shots(bob, "moderated");
});

test("reactions: the picker adds one, counts show under the bubble with mine highlighted, a click on a count toggles mine", async () => {
  const { alice, bob, carol } = u;
  const menu = await actions(bob, "I will bring the snacks");
  await menu.getByRole("menuitemcheckbox", { name: "React with 👍" }).click();
  const chip = (p) => bubbleOf(p.page, "I will bring the snacks").locator(".reaction[data-emoji='👍']");
  await until(async () => (await chip(alice).count()) === 1 && (await chip(alice).innerText()) === "👍 1", { what: "alice sees 👍 1" });
  assert.equal(await chip(alice).getAttribute("aria-pressed"), "false");
  await until(async () => (await chip(carol).count()) === 1, { what: "carol sees it" });
  await chip(carol).click();
  for (const p of [alice, bob, carol]) await until(async () => (await chip(p).innerText()) === "👍 2", { what: `${p.name} sees 👍 2` });
  assert.equal(await chip(carol).getAttribute("aria-pressed"), "true");
  assert.equal(await chip(bob).getAttribute("aria-pressed"), "true");
  assert.equal(await chip(alice).getAttribute("aria-pressed"), "false");
  await shots(carol, "reactions");
  // The picker on a phone, with carol's reaction checked.
  const m2 = await actions(carol, "I will bring the snacks");
  assert.equal(await m2.getByRole("menuitemcheckbox", { name: "React with 👍" }).getAttribute("aria-checked"), "true");
  await shot(carol.page, "features-phone-picker");
  await carol.page.keyboard.press("Escape");
  await until(async () => await m2.isHidden(), { what: "Escape closes the menu" });

  // The owner turns reactions off: the picker says why, the counts cannot be clicked.
  await alice.page.goto(`${server.url}#/group/${encodeURIComponent(alice.groupId)}/members`);
  await alice.page.getByRole("switch", { name: "Reactions" }).uncheck();
  await until(async () => (await groupOf(bob)).reactions === "off", { what: "bob gets reactions off" });
  const m3 = await actions(bob, "I will bring the snacks");
  assert.equal(await m3.getByRole("menuitemcheckbox", { name: "React with 😂" }).isDisabled(), true);
  assert.match(await m3.innerText(), /Reactions are turned off in this group/);
  await shot(bob.page, "features-desktop-reactions-off");
  await bob.page.keyboard.press("Escape");
  assert.equal(await chip(bob).isDisabled(), true);
  await alice.page.getByRole("switch", { name: "Reactions" }).check();
  await until(async () => (await groupOf(bob)).reactions === "on", { what: "reactions on again" });
  await openGroup(alice);
});

test("mentions: @ completes member names; the mention is highlighted and the mentioned member's message marked", async () => {
  const { alice, bob, carol } = u;
  const box = bob.page.getByRole("textbox", { name: "Message" });
  await box.fill("");
  await box.pressSequentially("hey @al");
  const list = bob.page.getByRole("listbox", { name: "Members" });
  await list.waitFor();
  assert.deepEqual(await list.getByRole("option").allInnerTexts(), ["@alice owner"]);
  await shots(bob, "mention-list");
  await box.press("Enter"); // picks, does not send
  assert.equal(await box.inputValue(), "hey @alice ");
  await box.pressSequentially("look at this");
  await box.press("Enter");
  const text = "hey @alice look at this";
  const b = (p) => bubbleOf(p.page, text);
  await until(async () => (await b(alice).count()) === 1, { what: "alice gets the mention" });
  assert.match(await b(alice).getAttribute("class"), /\bmentioned\b/);
  assert.equal(await b(alice).locator(".mention.me").innerText(), "@alice");
  await until(async () => (await b(carol).count()) === 1, { what: "carol gets it" });
  assert.doesNotMatch(await b(carol).getAttribute("class"), /\bmentioned\b/);
  assert.equal(await b(carol).locator(".mention").innerText(), "@alice");
  assert.equal(await b(bob).locator(".mention").innerText(), "@alice");
  // Keyboard in the list: arrows move, and carol's name is found from the middle.
  await box.pressSequentially("@ro");
  await list.waitFor();
  assert.deepEqual(await list.getByRole("option").allInnerTexts(), ["@carol"]);
  await box.press("Escape");
  await until(async () => await list.isHidden(), { what: "Escape closes the list" });
  await box.fill("");
  await shots(alice, "mentioned");
});

test("a disappearing message goes on both sides", async () => {
  const { alice, bob } = u;
  const select = bob.page.getByRole("combobox", { name: "Disappearing messages" });
  await select.selectOption({ label: "⏱ 30 s" });
  assert.match(await bob.page.locator(".ttl-hint").innerText(), /30 seconds/);
  await shots(bob, "timer");
  // A short timer for the test: the app's per-chat setting (localStorage), shown as it is.
  await bob.page.evaluate((id) => localStorage.setItem(`sxweb.ttl.g${id}`, "4"), bob.groupId);
  await bob.page.goto(`${server.url}#/group/${encodeURIComponent(bob.groupId)}/members`);
  await openGroup(bob);
  assert.equal(await select.inputValue(), "4");
  await send(bob, "this goes in 4 seconds");
  const mine = bubbleOf(bob.page, "this goes in 4 seconds");
  await mine.locator(".ttl[data-expires]").waitFor(); // mine runs from sending
  await until(async () => (await bubbleOf(alice.page, "this goes in 4 seconds").locator(".ttl[data-expires]").count()) === 1,
    { what: "alice's copy, read, counts down" });
  await shots(alice, "timed");
  for (const p of [bob, alice]) {
    await until(async () => (await bubbleOf(p.page, "this goes in 4 seconds").count()) === 0, { what: `gone for ${p.name}`, timeout: 30000 });
  }
  await select.selectOption({ label: "⏱ Off" });
  assert.equal(await bob.page.evaluate((id) => localStorage.getItem(`sxweb.ttl.g${id}`), bob.groupId), null);
});

test("unread: counts in the list and the title, the divider when the chat opens", async () => {
  const { bob, carol } = u;
  await until(async () => (await groupOf(carol)).unread === 0, { what: "carol has read everything" });
  await carol.page.goto(`${server.url}#/`);
  assert.equal(await carol.page.title(), "Hearth");
  await send(bob, "unread one");
  await send(bob, "unread two");
  const item = carol.page.locator(".chatlist a", { hasText: "Hearth club" });
  await until(async () => (await item.locator(".badge").count()) === 1 && (await item.locator(".badge").innerText()) === "2", { what: "carol's list shows 2" });
  assert.equal(await carol.page.title(), "(2) Hearth");
  await shots(carol, "unread-list");
  await item.click();
  await carol.page.waitForSelector(".unread-divider");
  const before = await carol.page.evaluate(() => document.querySelector(".unread-divider").nextElementSibling.querySelector(".text").textContent);
  assert.equal(before, "unread one");
  assert.equal(await carol.page.locator(".unread-divider").count(), 1);
  await until(async () => (await groupOf(carol)).unread === 0 && (await carol.page.title()) === "Hearth", { what: "read on opening" });
  await shots(carol, "unread-divider");
});

test("notifications while hidden: asked from a click, never for my own, text hidden on request, none when muted or off", async () => {
  const { alice, bob } = u;
  const notes = () => alice.page.evaluate(() => globalThis.__notes);
  await alice.page.goto(`${server.url}#/settings`);
  assert.match(await alice.page.locator(".settings").innerText(), /not on the SimpleX network/);
  const allow = alice.page.getByRole("button", { name: "Allow notifications" });
  await allow.waitFor();
  await shots(alice, "settings");
  await alice.ctx.grantPermissions(["notifications"], { origin: server.url });
  await allow.click();
  await until(async () => (await alice.page.locator("[data-permission='granted']").count()) === 1, { what: "permission granted" });
  assert.equal(await allow.count(), 0);

  await openGroup(alice);
  await alice.page.evaluate(() => __setHidden(true));
  await send(bob, "are you there?");
  await until(async () => (await notes()).length === 1, { what: "one notification" });
  assert.deepEqual((await notes()).map(({ title, body }) => ({ title, body })), [{ title: "Hearth club", body: "bob: are you there?" }]);
  await until(async () => (await alice.page.title()) === "(1) Hearth", { what: "the hidden page's title counts it" });
  assert.equal((await alice.page.evaluate(() => __badges)).at(-1), 1, "the app badge says 1");
  // My own messages never notify (sent from this hidden page, then one of bob's as a marker).
  await alice.page.evaluate((id) => sxapp.chat.sendGroupMessage(id, "my own, while hidden"), alice.groupId);
  await send(bob, "second");
  await until(async () => (await notes()).length === 2, { what: "the second one" });
  assert.equal((await notes())[1].body, "bob: second");
  await alice.page.evaluate(() => __setHidden(false));
  await until(async () => (await alice.page.title()) === "Hearth", { what: "read when shown again" });
  assert.equal((await alice.page.evaluate(() => __badges)).at(-1), 0, "the app badge is cleared");

  // Hide the text.
  await alice.page.goto(`${server.url}#/settings`);
  await alice.page.getByRole("switch", { name: "Hide message text in notifications" }).check();
  await openGroup(alice);
  await alice.page.evaluate(() => __setHidden(true));
  await send(bob, "secret plans");
  await until(async () => (await notes()).length === 3, { what: "the third one" });
  assert.equal((await notes())[2].body, "New message");
  assert.ok(!JSON.stringify(await notes()).includes("secret"), "no text of it anywhere");
  await alice.page.evaluate(() => __setHidden(false));

  // Muted chat, then notifications off: messages arrive, nothing shows.
  await alice.page.getByRole("button", { name: "Mute notifications" }).click();
  assert.equal(await alice.page.getByRole("button", { name: "Mute notifications" }).getAttribute("aria-pressed"), "true");
  await shots(alice, "muted");
  await alice.page.evaluate(() => __setHidden(true));
  await send(bob, "while muted");
  await until(async () => (await alice.page.evaluate(async (id) => (await sxapp.chat.messages({ groupId: id })).some((m) => m.text === "while muted"), alice.groupId)),
    { what: "alice got it" });
  await alice.page.evaluate(() => __setHidden(false));
  await alice.page.getByRole("button", { name: "Mute notifications" }).click();
  await alice.page.goto(`${server.url}#/settings`);
  await alice.page.getByRole("switch", { name: /Notify me of new messages/ }).uncheck();
  await openGroup(alice);
  await alice.page.evaluate(() => __setHidden(true));
  await send(bob, "while off");
  await until(async () => (await alice.page.evaluate(async (id) => (await sxapp.chat.messages({ groupId: id })).some((m) => m.text === "while off"), alice.groupId)),
    { what: "alice got it" });
  await new Promise((r) => setTimeout(r, 500)); // a notification would be made right after the event
  assert.equal((await notes()).length, 3, "none while muted or turned off");
  await alice.page.evaluate(() => __setHidden(false));
});
