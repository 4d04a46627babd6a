// ui-smoke.test.mjs — the app's screens on a stand-in core (fixtures/mockcore.js):
// every screen renders at desktop and phone widths, the forms call the JS API,
// "Message directly" is disabled with its reason where the group forbids it, the
// keyboard can send a message, and a second tab on a database another tab holds
// alone is refused and can take over. Independent of the Go core; screenshots in e2e/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, launch, shot, watch, until, root, PHONE, DESKTOP } from "./lib.mjs";

const mock = join(root, "e2e", "fixtures", "mockcore.js");
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(viewport, hash = "") {
  const ctx = await browser.newContext({ viewport, serviceWorkers: "block" });
  await ctx.addInitScript({ path: mock });
  const page = await ctx.newPage();
  watch(page, "mock");
  await page.goto(server.url + hash);
  await page.waitForSelector("body[data-ready='1']");
  return { ctx, page };
}

async function onboard(page) {
  await page.getByLabel("Display name").fill("alice");
  await page.getByRole("button", { name: "Create profile" }).click();
}

test("screens render and use the API (desktop)", async () => {
  const { ctx, page } = await open(DESKTOP);
  assert.equal(await page.getAttribute("body", "data-route"), "onboarding");
  await shot(page, "mock-desktop-onboarding");
  await onboard(page);
  await page.waitForSelector("body[data-route='home']");
  assert.match(await page.locator(".welcome").innerText(), /Everything lives only in this browser/);
  await shot(page, "mock-desktop-home");

  await page.getByRole("link", { name: /Book club/ }).click();
  await page.waitForSelector(".msg");
  assert.equal(await page.locator(".msg").count(), 3);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("hello from the keyboard");
  await box.press("Enter");
  await until(async () => (await page.locator(".msg.mine[data-status='delivered']").count()) === 2, { what: "delivered mark" });
  assert.equal(await box.inputValue(), "");
  await shot(page, "mock-desktop-group");

  await page.getByRole("link", { name: "Members", exact: true }).click();
  await page.waitForSelector(".member");
  const bob = page.locator(".member", { hasText: "bob" });
  await bob.getByRole("button", { name: "Message directly" }).click();
  await page.getByLabel("First message to bob").fill("hi bob");
  await page.getByRole("button", { name: "Send request" }).click();
  await page.waitForSelector("body[data-route='contact']");
  assert.match(await page.locator(".contact-state").innerText(), /Waiting for them to accept/);
  await shot(page, "mock-desktop-direct-pending");

  await page.goto(`${server.url}#/group/2/members`);
  const dan = page.locator(".member", { hasText: "dan" });
  await dan.waitFor();
  assert.equal(await dan.getByRole("button", { name: "Message directly" }).isDisabled(), true);
  assert.match(await dan.innerText(), /Direct messages are off in this group/);
  await shot(page, "mock-desktop-members-dm-off");

  await page.getByRole("link", { name: /erin/ }).click();
  await page.getByRole("button", { name: "Accept" }).waitFor();
  assert.equal(await page.getByRole("textbox", { name: "Message" }).isDisabled(), true);
  await shot(page, "mock-desktop-direct-request");
  await page.getByRole("button", { name: "Accept" }).click();
  await until(async () => (await page.locator(".chat-head small").innerText()).startsWith("connected"), { what: "accepted" });
  assert.equal(await page.getByRole("textbox", { name: "Message" }).isDisabled(), false);

  await page.getByRole("link", { name: "New group" }).first().click();
  await page.getByLabel("Group name").fill("Climbing");
  await page.getByRole("button", { name: "Create group" }).click();
  await page.waitForSelector(".qr svg");
  assert.match(await page.getByRole("textbox", { name: "Group link" }).inputValue(), /#\/join\//);
  await shot(page, "mock-desktop-share");

  await page.goto(`${server.url}#/connections`);
  await page.waitForSelector("td[data-stat='groupConnections']");
  assert.equal(await page.locator("td[data-stat='groupConnections']").innerText(), "3");
  await shot(page, "mock-desktop-connections");
  await page.goto(`${server.url}#/storage`);
  await page.waitForSelector("[data-persisted]");
  await shot(page, "mock-desktop-storage");
  await ctx.close();
});

test("phone width: list, chat, members", async () => {
  const { ctx, page } = await open(PHONE);
  await onboard(page);
  await page.waitForSelector("body[data-route='home']");
  assert.equal(await page.locator("#sidebar").isVisible(), true);
  await shot(page, "mock-phone-list");
  await page.getByRole("link", { name: /Book club/ }).click();
  await page.waitForSelector(".msg");
  assert.equal(await page.locator("#sidebar").isVisible(), false);
  // The composer's placeholder fits in one line of the box; every bubble (theirs as mine) is as
  // wide as its widest line (name, text, time) plus padding, not the column.
  const [placeholder, room] = await page.evaluate(() => {
    const t = document.querySelector(".composer textarea");
    const cs = getComputedStyle(t);
    const c = document.createElement("canvas").getContext("2d");
    c.font = cs.font;
    return [c.measureText(t.placeholder).width, t.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)];
  });
  assert.ok(placeholder <= room, `the placeholder (${placeholder}px) fits the composer (${room}px)`);
  const fits = await page.evaluate(() => [...document.querySelectorAll(".msg")].map((m) => [m.className, m.getBoundingClientRect().width,
    Math.max(...[...m.children].map((c) => { const r = document.createRange(); r.selectNodeContents(c); return r.getBoundingClientRect().width; }))]));
  for (const [cls, bubble, content] of fits) assert.ok(bubble <= content + 30, `${cls}: a ${bubble}px bubble around ${content}px of content`);
  await shot(page, "mock-phone-group");
  await page.getByRole("link", { name: "Members", exact: true }).click();
  await page.waitForSelector(".member");
  await shot(page, "mock-phone-members");
  await page.goto(`${server.url}#/group/1/share`);
  await page.waitForSelector(".qr svg");
  await shot(page, "mock-phone-share");
  await ctx.close();
});

test("a long chat opens with its newest page; earlier pages load on scrolling up or by keyboard, keeping the place", async () => {
  const { ctx, page } = await open(DESKTOP);
  await onboard(page);
  await page.waitForSelector("body[data-route='home']");
  await page.getByRole("link", { name: /Archive/ }).click();
  await page.waitForSelector(".msg");
  const texts = () => page.locator(".messages .msg .text").allInnerTexts();
  const range = (a, b) => Array.from({ length: b - a }, (_, i) => `old message ${a + i}`);
  assert.deepEqual(await texts(), range(150, 250), "the newest page of 100, oldest first");
  await shot(page, "mock-desktop-long-chat");

  // Scrolled to the top: the page before loads above, and what was on screen stays where it was.
  const y0 = await page.evaluate(() => {
    const sc = document.querySelector(".scroller");
    sc.scrollTop = 0;
    return document.querySelector(".msg[data-id='h150']").getBoundingClientRect().top;
  });
  await until(async () => (await texts()).length === 200, { what: "the page before, on scrolling up" });
  assert.deepEqual(await texts(), range(50, 250));
  const y1 = await page.evaluate(() => document.querySelector(".msg[data-id='h150']").getBoundingClientRect().top);
  assert.ok(Math.abs(y1 - y0) < 4, `message 150 stays in place (${y0} → ${y1})`);

  // Keyboard: the message list is one tab stop (the newest message's actions), so Shift+Tab
  // from the composer reaches it, and once more "Load earlier messages"; Enter loads the rest
  // (focusing it scrolls it into view, which may already start loading: either way the rest comes).
  await page.getByRole("textbox", { name: "Message" }).focus();
  await page.evaluate(() => { globalThis.focused = []; document.addEventListener("focusin", (e) => { focused.push(e.target.getAttribute("aria-label") || e.target.textContent); }); });
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  assert.deepEqual((await page.evaluate(() => globalThis.focused)).slice(0, 2), ["Message actions", "Load earlier messages"]);
  await page.keyboard.press("Enter");
  await until(async () => (await texts()).length === 250, { what: "the first page, by keyboard" });
  assert.deepEqual(await texts(), range(0, 250));
  await page.locator(".more.start", { hasText: "Start of the conversation" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Load earlier messages" }).count(), 0);
  await page.evaluate(() => { document.querySelector(".scroller").scrollTop = 0; });
  await shot(page, "mock-desktop-long-chat-start");
  await ctx.close();
});

test("keyboard only: open a group and send", async () => {
  const { ctx, page } = await open(DESKTOP);
  await page.keyboard.type("kim"); // the display name field has the focus
  await page.keyboard.press("Enter");
  await page.waitForSelector("body[data-route='home']");
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement?.tagName === "A" && document.activeElement.textContent.includes("Book club"));
  }
  assert.ok(found, "Tab reaches the group");
  await page.keyboard.press("Enter");
  await page.waitForSelector("body[data-route='group'] .msg");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Message");
  await page.keyboard.type("typed, not clicked");
  await page.keyboard.press("Enter");
  await until(async () => (await page.locator(".msg.mine", { hasText: "typed, not clicked" }).count()) === 1, { what: "sent by keyboard" });
  await ctx.close();
});

test("ignoring a request deletes it (after confirming)", async () => {
  const { ctx, page } = await open(DESKTOP);
  await onboard(page);
  await page.waitForSelector("body[data-route='home']");
  await page.getByRole("link", { name: /erin/ }).click();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Ignore" }).click();
  await page.waitForSelector("body[data-route='home']");
  await until(async () => (await page.locator(".chatlist a", { hasText: "erin" }).count()) === 0, { what: "request gone" });
  await ctx.close();
});

// The stand-in core runs on the page's main thread (mode "page"), which no other
// tab can share: the screens of a database held alone by another tab.
test("a database held alone by another tab: the second tab is refused and can take over", async () => {
  const { ctx, page } = await open(DESKTOP);
  const second = await ctx.newPage();
  await second.goto(server.url);
  await second.waitForSelector("body[data-route='locked']");
  assert.match(await second.locator("main").innerText(), /open alone in another tab/);
  await shot(second, "mock-desktop-locked");
  await second.getByRole("button", { name: "Use here instead" }).click();
  await second.waitForSelector("body[data-ready='1']");
  await page.waitForSelector("body[data-route='taken']");
  assert.match(await page.locator("main").innerText(), /opened in another tab/);
  await ctx.close();
});
