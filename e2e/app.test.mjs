// app.test.mjs — the same story as api.test.mjs, through the app's UI: three
// people in three browser contexts (alice at desktop width, bob at desktop,
// carol at phone width) on the served app and relay, with the service worker.
// Also: the offline reload boots from the service worker and shows the
// history (and, as a control, fails with service workers blocked), a message
// written offline is delivered after reconnect, and a second tab of the app
// shares the chats. Screenshots go to e2e/screenshots/ (look at them).
import assert from "node:assert/strict";
import { storySuite, until, watch, shot, PHONE, DESKTOP } from "./lib.mjs";
import { NO_SHARED_WORKER } from "./tabslib.mjs";

let server, browser, link;
const u = {};

// Each step needs the previous ones: after a failure the rest are skipped.
const test = storySuite((s, b) => { server = s; browser = b; });

async function person(name, viewport, url = server.url) {
  const ctx = await browser.newContext({ viewport });
  // bob's browser has no SharedWorker (his core runs in a leader tab's worker):
  // Playwright's setOffline, used for him below, reaches pages and dedicated
  // workers but not SharedWorkers.
  if (name === "bob") await ctx.addInitScript(NO_SHARED_WORKER);
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

const msgTexts = (page) => page.locator(".messages .msg .text").allInnerTexts();

async function openGroup(p, name = "Book club") {
  if (await p.page.locator(".sidebar").isVisible() && !(await p.page.locator(".chat-view").isVisible())) {
    await p.page.locator(".chatlist a", { hasText: name }).click();
  } else {
    await p.page.goto(`${server.url}#/group/${encodeURIComponent(p.groupId)}`);
  }
  await p.page.waitForSelector(".chat-view .messages");
}

async function send(p, text) {
  const box = p.page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

test("alice creates a group with direct messages on and shares its link", async () => {
  const alice = await person("alice", DESKTOP);
  await onboard(alice);
  await alice.page.getByRole("link", { name: "New group" }).first().click();
  await alice.page.getByLabel("Group name").fill("Book club");
  assert.equal(await alice.page.getByRole("switch").isChecked(), true);
  await alice.page.getByRole("button", { name: "Create group" }).click();
  const input = alice.page.getByRole("textbox", { name: "Group link" });
  await input.waitFor();
  link = await input.inputValue();
  assert.ok(link.startsWith(`${server.url}#/join/`), link);
  await alice.page.waitForSelector(".qr svg");
  await shot(alice.page, "app-desktop-share");
  alice.groupId = decodeURIComponent(new URL(alice.page.url()).hash.split("/")[2]);
});

test("bob and carol open the link, make a profile and join", async () => {
  for (const [name, vp] of [["bob", DESKTOP], ["carol", PHONE]]) {
    const p = await person(name, vp, link);
    assert.equal(await p.page.getAttribute("body", "data-route"), "onboarding");
    if (name === "carol") await shot(p.page, "app-phone-onboarding-from-link");
    await onboard(p);
    await p.page.getByRole("button", { name: "Join group", exact: true }).click();
    await p.page.waitForSelector("body[data-route='group']");
    p.groupId = decodeURIComponent(new URL(p.page.url()).hash.split("/")[2]);
    await until(async () => (await p.page.locator(".chat-head small").innerText()).startsWith("3 members") ||
      (await p.page.locator(".chat-head h1").innerText()) === "Book club", { what: `${name} sees the group` });
  }
  for (const p of Object.values(u)) {
    await p.page.goto(`${server.url}#/group/${encodeURIComponent(p.groupId)}/members`);
    await until(async () => (await p.page.locator(".member").allInnerTexts()).filter((t) => t.includes("connected")).length === 2,
      { what: `${p.name} sees 2 connected members`, timeout: 90000 });
  }
  await shot(u.bob.page, "app-desktop-members");
  await shot(u.carol.page, "app-phone-members");
});

test("every group message reaches everyone, with delivery marks; connections panel counts", async () => {
  const all = Object.values(u);
  for (const p of all) {
    await openGroup(p);
    await send(p, `hi, ${p.name} here`);
  }
  for (const p of all) {
    await until(async () => (await msgTexts(p.page)).length === 3, { what: `${p.name} has 3 messages` });
    assert.deepEqual((await msgTexts(p.page)).sort(), all.map((x) => `hi, ${x.name} here`).sort());
    await until(async () => (await p.page.locator(".msg.mine").getAttribute("data-status")) === "delivered", { what: `${p.name}'s message delivered` });
  }
  await shot(u.alice.page, "app-desktop-group");
  await shot(u.carol.page, "app-phone-group");
  await u.alice.page.goto(`${server.url}#/connections`);
  await until(async () => (await u.alice.page.locator("td[data-stat='groupConnections']").innerText()) === "2", { what: "2 group connections" });
  assert.equal(await u.alice.page.locator("td[data-stat='directConnections']").innerText(), "0");
  await shot(u.alice.page, "app-desktop-connections");
});

test("bob messages carol directly: pending, queued, accepted, in order", async () => {
  const { bob, carol } = u;
  await bob.page.goto(`${server.url}#/group/${encodeURIComponent(bob.groupId)}/members`);
  const row = bob.page.locator(".member", { hasText: "carol" });
  await row.getByRole("button", { name: "Message directly" }).click();
  await bob.page.getByLabel("First message to carol").fill("hi carol, privately");
  await bob.page.getByRole("button", { name: "Send request" }).click();
  await bob.page.waitForSelector("body[data-route='contact']");
  await send(bob, "and a second one while you decide");
  await until(async () => (await msgTexts(bob.page)).length === 2, { what: "bob's two messages" });
  assert.match(await bob.page.locator(".contact-state").innerText(), /Waiting for them to accept|Connecting/);
  await shot(bob.page, "app-desktop-direct-pending");

  await carol.page.goto(server.url + "#/");
  const req = carol.page.locator(".chatlist a", { hasText: "bob" });
  await until(async () => (await req.count()) === 1 && /request/.test(await req.innerText()), { what: "carol sees bob's request", timeout: 60000 });
  await req.click();
  await carol.page.getByRole("button", { name: "Accept" }).waitFor();
  await shot(carol.page, "app-phone-direct-request");
  await carol.page.getByRole("button", { name: "Accept" }).click();
  await until(async () => JSON.stringify(await msgTexts(carol.page)) === JSON.stringify(["hi carol, privately", "and a second one while you decide"]),
    { what: "carol has both, in order", timeout: 60000 });
  await until(async () => (await bob.page.locator(".chat-head small").innerText()).startsWith("connected"), { what: "bob connected", timeout: 60000 });
  await shot(carol.page, "app-phone-direct-connected");
});

test("a reload keeps everything", async () => {
  const { alice } = u;
  await openGroup(alice);
  const before = await msgTexts(alice.page);
  await alice.page.reload();
  await alice.page.waitForSelector("body[data-ready='1']");
  await openGroup(alice);
  await until(async () => (await msgTexts(alice.page)).length === before.length, { what: "history after reload" });
  assert.deepEqual(await msgTexts(alice.page), before);
});

test("offline: the app boots from the service worker with its history; a message written offline is sent on reconnect", async () => {
  const { bob } = u;
  await bob.page.evaluate(() => navigator.serviceWorker.ready);
  await bob.page.goto(`${server.url}#/group/${encodeURIComponent(bob.groupId)}`);
  await bob.page.waitForSelector(".msg");
  const before = await msgTexts(bob.page);
  await bob.ctx.setOffline(true);
  await bob.page.reload();
  await bob.page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await until(async () => (await msgTexts(bob.page)).length === before.length, { what: "history offline" });
  assert.match(await bob.page.locator("#status").innerText(), /Offline/);
  await send(bob, "written offline");
  await until(async () => (await msgTexts(bob.page)).includes("written offline"), { what: "offline message shown" });
  assert.notEqual(await bob.page.locator(".msg.mine", { hasText: "written offline" }).getAttribute("data-status"), "delivered");
  await shot(bob.page, "app-desktop-offline");
  await bob.ctx.setOffline(false);
  for (const p of [u.alice, u.carol]) {
    await openGroup(p);
    await until(async () => (await msgTexts(p.page)).includes("written offline"), { what: `${p.name} gets bob's offline message`, timeout: 120000 });
  }
});

test("control: with service workers blocked the same offline reload fails", async () => {
  const ctx = await browser.newContext({ serviceWorkers: "block" });
  const page = await ctx.newPage();
  await page.goto(server.url); // online: loads (whatever the core does next)
  assert.equal(await page.title(), "Hearth");
  await ctx.setOffline(true);
  await assert.rejects(page.reload(), /ERR_INTERNET_DISCONNECTED/);
  await ctx.close();
});

test("a second tab of the app shares the chats: what either sends, both show", async () => {
  const { alice, bob } = u;
  const second = await alice.ctx.newPage();
  watch(second, "alice-2");
  await second.goto(`${server.url}#/group/${encodeURIComponent(alice.groupId)}`);
  await second.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await second.waitForSelector(".chat-view .messages .msg");
  await openGroup(alice);
  await send({ page: second }, "from alice's second tab");
  await send(alice, "and from her first");
  for (const page of [alice.page, second]) {
    await until(async () => {
      const t = await msgTexts(page);
      return t.includes("from alice's second tab") && t.includes("and from her first");
    }, { what: "both tabs show both" });
  }
  await shot(second, "app-desktop-second-tab");
  await openGroup(bob);
  await until(async () => (await msgTexts(bob.page)).includes("and from her first"), { what: "bob gets them" });
  const got = await msgTexts(bob.page);
  assert.equal(got.filter((t) => t === "from alice's second tab").length, 1);
  assert.equal(got.filter((t) => t === "and from her first").length, 1);
});

test("a broken link says so in plain words", async () => {
  const page = u.alice.page.context().pages().at(-1);
  await page.goto(`${server.url}#/join/AQIbroken`);
  await page.getByRole("button", { name: "Join group", exact: true }).click();
  await page.waitForSelector("#banner:not([hidden])");
  assert.match(await page.locator("#banner").innerText(), /not a valid Hearth link.*BAD_LINK/);
});
