// backup-ui.test.mjs — issue 13 through the app's UI on the real core, relay and
// file relay: alice and bob chat in a group; a brand-new account is not reminded
// to back up, alice is after some messages; she backs up from Settings (two
// passphrases that differ first; the busy state; the downloaded
// hearth-backup-YYYY-MM-DD.hearth); a fresh browser restores it from the first
// screen (a damaged copy and a wrong passphrase first, each said plainly) and
// shows her chats, and the old browser says the account moved; she sets a
// passphrase at rest: a second tab while Hearth runs does not ask, the next
// start shows the unlock screen (a wrong one first), and unlocking one locked
// tab opens the other; the browser deletes the
// database: the app says so and restores the backup, or starts anew; she moves
// by link (with its QR code) to a third browser, which asks the passphrase and
// gets bob's next message. Screenshots: e2e/screenshots/backup-*.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storySuite, until, watch, shot, PHONE, DESKTOP } from "./lib.mjs";

let server, browser;
const u = {};
const test = storySuite((s, b) => { server = s; browser = b; }, {
  requires: async (s) => ((await fetch(`${s.url}files/new`, { method: "OPTIONS" })).ok ? "" : "this build serves no file relay at /files yet"),
});
const dir = mkdtempSync(join(tmpdir(), "sxweb-e2e-backup-ui-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const PASS = "copper kettle on the hill";
const MOVE_PASS = "seven blue ferries";
const AT_REST = "a lantern in the attic";

async function page(ctx, who, url = server.url) {
  const p = await ctx.newPage();
  watch(p, who);
  await p.goto(url);
  return p;
}
async function person(name, viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, acceptDownloads: true });
  const p = await page(ctx, name);
  await p.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  return (u[name] = { name, ctx, page: p });
}
async function onboard(p, name) {
  await p.getByLabel("Display name").fill(name);
  await p.getByRole("button", { name: "Create profile" }).click();
  await p.getByRole("heading", { name: `Hello, ${name}` }).waitFor();
}
const api = (p, fn, arg) => p.evaluate(fn, arg);
const notice = (p) => p.getByRole("region", { name: "Backup reminder" });
const dialog = (p) => p.getByRole("dialog");
/** This state at both widths (the page's own first). */
async function shots(p, name) {
  const vp = p.viewportSize();
  const phone = vp.width < 720;
  await shot(p, `backup-${phone ? "phone" : "desktop"}-${name}`);
  await p.setViewportSize(phone ? DESKTOP : PHONE);
  await p.waitForTimeout(200);
  await shot(p, `backup-${phone ? "desktop" : "phone"}-${name}`);
  await p.setViewportSize(vp);
}
/** The group's messages as alice's restored copies show them: the texts on screen. */
async function groupTexts(p) {
  await p.getByRole("link", { name: /Book club/ }).first().click();
  await p.waitForSelector(".chat-view .messages li .text");
  return p.locator(".messages .msg > .text").allTextContents();
}
/** Closes every page of ctx and waits until no core holds the app's database (the last tab gone, it stops). */
async function closeApp(ctx) {
  for (const p of ctx.pages()) await p.close();
  const probe = await page(ctx, "probe", `${server.url}web/embed.html`);
  await api(probe, async () => {
    for (;;) {
      const { held = [] } = await navigator.locks.query();
      if (!held.some((l) => l.name === "sxweb:simplex")) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  return probe;
}
/** What the browser's eviction does: the database goes, localStorage stays (as in Chromium). */
const evict = (probe) => api(probe, () => new Promise((resolve, reject) => {
  const r = indexedDB.deleteDatabase("simplex");
  r.onsuccess = resolve;
  r.onerror = () => reject(r.error);
}));
/** Fills the restore form and submits it; resolves with the error said, or null once the app is back. */
async function restore(p, { file, passphrase, submit = "Restore" }) {
  if (file) await p.getByLabel("Backup file").setInputFiles(file);
  await p.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await p.getByRole("button", { name: submit, exact: true }).click();
  const err = p.locator("form.restore .error:not([hidden])");
  const back = p.locator("body[data-ready='1'][data-route='home']"); // the page reloaded into the account
  await Promise.race([err.waitFor({ timeout: 90000 }), back.waitFor({ timeout: 90000 })]);
  return (await err.count()) ? err.textContent() : null;
}

test("alice and bob chat in a group; a new account is not reminded, after some messages alice is", async () => {
  const alice = await person("alice");
  await onboard(alice.page, "alice");
  assert.equal(await notice(alice.page).count(), 0, "a brand-new account is reminded to back up");
  await alice.page.getByRole("link", { name: "New group" }).first().click();
  await alice.page.getByLabel("Group name").fill("Book club");
  await alice.page.getByRole("button", { name: "Create group" }).click();
  const link = await alice.page.getByRole("textbox", { name: "Group link" }).inputValue();
  const bob = await person("bob");
  await bob.page.goto(link);
  await bob.page.getByLabel("Display name").fill("bob");
  await bob.page.getByRole("button", { name: "Create profile" }).click();
  await bob.page.getByRole("button", { name: "Join group", exact: true }).click(); // the link he opened
  await bob.page.waitForSelector("body[data-route='group']");
  const gid = async (p) => (await api(p, () => sxapp.chat.groups()))[0].groupId;
  alice.gid = await gid(alice.page);
  bob.gid = await gid(bob.page);
  await until(async () => (await api(alice.page, (g) => sxapp.chat.members(g), alice.gid)).some((m) => m.status === "connected"), { what: "bob in alice's group", timeout: 120000 });
  assert.equal(await notice(alice.page).count(), 0, "reminded before any message");
  for (let i = 1; i <= 5; i++) {
    await api(alice.page, ([g, t]) => sxapp.chat.sendGroupMessage(g, t), [alice.gid, `alice says ${i}`]);
    await api(bob.page, ([g, t]) => sxapp.chat.sendGroupMessage(g, t), [bob.gid, `bob says ${i}`]);
  }
  await until(async () => (await api(alice.page, (g) => sxapp.chat.messages({ groupId: g }), alice.gid)).filter((m) => !m.system).length === 10, { what: "alice has all ten" });
  await notice(alice.page).waitFor();
  assert.match(await notice(alice.page).textContent(), /no backup yet/);
  await shots(alice.page, "reminder");
});

test("alice backs up from Settings: a passphrase asked twice, the file downloaded, the time remembered", async () => {
  const p = u.alice.page;
  await p.getByRole("link", { name: "Settings" }).click();
  assert.match(await p.locator(".last-backup").textContent(), /No backup yet/);
  await p.getByRole("button", { name: "Back up", exact: true }).click();
  const d = dialog(p);
  assert.match(await d.textContent(), /nobody can recover it/);
  await d.getByLabel("Passphrase", { exact: true }).fill(PASS);
  await d.getByLabel("Repeat the passphrase").fill(`${PASS}!`);
  await d.getByRole("button", { name: "Back up" }).click();
  assert.match(await d.getByRole("alert").textContent(), /differ/);
  await d.getByLabel("Repeat the passphrase").fill(PASS);
  const download = p.waitForEvent("download", { timeout: 90000 });
  await d.getByRole("button", { name: "Back up" }).click();
  await d.locator(".busy:not([hidden])").waitFor(); // the key takes a second: the dialog says it works
  await shot(p, "backup-desktop-busy");
  const dl = await download;
  assert.match(dl.suggestedFilename(), /^hearth-backup-\d{4}-\d{2}-\d{2}\.hearth$/);
  u.file = join(dir, dl.suggestedFilename());
  await dl.saveAs(u.file);
  const bytes = readFileSync(u.file);
  assert.equal(bytes.subarray(0, 8).toString(), "SXWEBBAK", "the download is a Hearth backup");
  await d.getByText(`Saved ${dl.suggestedFilename()}`).waitFor();
  await shots(p, "saved");
  await d.getByRole("button", { name: "Done" }).click();
  assert.match(await p.locator(".last-backup").textContent(), /Last backup: .*\(today\)/);
  assert.equal(await notice(p).count(), 0, "the reminder stays after the backup");
  // a damaged copy for the next step: cut off in its middle
  u.damaged = join(dir, "damaged.hearth");
  writeFileSync(u.damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
});

test("a fresh browser restores the backup from the first screen: a damaged copy and a wrong passphrase are said plainly", async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const p = await page(ctx, "alice-restored");
  await p.getByRole("heading", { name: "Create your profile" }).waitFor({ timeout: 60000 });
  await p.getByRole("link", { name: "Restore from backup" }).click();
  await p.getByRole("heading", { name: "Restore from backup" }).waitFor();
  assert.match(await restore(p, { file: u.damaged, passphrase: PASS }), /damaged or incomplete/);
  assert.match(await restore(p, { file: u.file, passphrase: "not the passphrase" }), /does not open the backup/);
  await shots(p, "restore-wrong");
  assert.equal(await restore(p, { file: u.file, passphrase: PASS }), null);
  const texts = await groupTexts(p);
  for (let i = 1; i <= 5; i++) assert.ok(texts.includes(`alice says ${i}`) && texts.includes(`bob says ${i}`), `restored chat: ${texts}`);
  await shots(p, "restored");
  u.restored = { name: "alice-restored", ctx, page: p };
  // the backup counts as the last one; the old browser learns the account moved
  await p.getByRole("link", { name: "Settings" }).click();
  assert.match(await p.locator(".last-backup").textContent(), /Last backup: .*\(today\)/);
  await u.alice.page.getByText("now used in another browser").waitFor({ timeout: 60000 });
  await u.alice.ctx.close();
});

test("a passphrase at rest: set in Settings, a second tab does not ask, the next start shows the unlock screen", async () => {
  const { ctx, page: p } = u.restored;
  const card = p.locator(".at-rest-card");
  await card.getByText("Encrypted with this browser's key.").waitFor();
  await card.getByRole("button", { name: "Set a passphrase" }).click();
  const d = dialog(p);
  await d.getByLabel("Passphrase", { exact: true }).fill(AT_REST);
  await d.getByLabel("Repeat the passphrase").fill(AT_REST);
  await d.getByRole("button", { name: "Set passphrase" }).click();
  await card.getByText("Encrypted with your passphrase.").waitFor({ timeout: 30000 });
  assert.deepEqual(await api(p, () => sxapp.chat.atRest()), { mode: "passphrase" });
  await shots(p, "settings");
  const second = await page(ctx, "second tab");
  await second.getByRole("heading", { name: "Hello, alice" }).waitFor({ timeout: 60000 }); // the core runs unlocked
  await closeApp(ctx);
  const q = await page(ctx, "alice-unlock");
  await q.getByRole("heading", { name: "Hearth is locked" }).waitFor({ timeout: 60000 });
  await q.getByLabel("Passphrase", { exact: true }).fill("a lantern in the cellar");
  await q.getByRole("button", { name: "Unlock" }).click();
  await q.getByText("That is not the passphrase. Try again.").waitFor({ timeout: 30000 });
  await shots(q, "unlock-wrong");
  const other = await page(ctx, "alice-locked-too"); // a second tab, locked too
  await other.getByRole("heading", { name: "Hearth is locked" }).waitFor({ timeout: 60000 });
  await q.getByLabel("Passphrase", { exact: true }).fill(AT_REST);
  await q.getByRole("button", { name: "Unlock" }).click();
  await q.getByRole("heading", { name: "Hello, alice" }).waitFor({ timeout: 30000 });
  // the other tab, back in view, finds the core unlocked (headless pages never hide: say it)
  await api(other, () => document.dispatchEvent(new Event("visibilitychange")));
  await other.getByRole("heading", { name: "Hello, alice" }).waitFor({ timeout: 30000 });
  u.restored.page = q;
});

test("the browser deletes the database: the app says so, and the backup brings the chats back", async () => {
  const { ctx } = u.restored;
  const probe = await closeApp(ctx);
  await evict(probe);
  const p = await page(ctx, "alice-evicted");
  await p.getByRole("heading", { name: "This browser deleted Hearth's data" }).waitFor({ timeout: 60000 });
  assert.match(await p.locator(".evicted").textContent(), /Your last backup was made .*\(today\)/);
  await shots(p, "evicted");
  await p.getByRole("button", { name: "Restore from backup" }).click();
  assert.equal(await restore(p, { file: u.file, passphrase: PASS }), null);
  const texts = await groupTexts(p);
  assert.ok(texts.includes("bob says 5"), `chats after the eviction: ${texts}`);
  // the backup is older than the chats' encryption: the chat says when it is re-negotiated
  await p.getByText("encryption re-negotiated", { exact: false }).first().waitFor({ timeout: 120000 });
  u.restored.page = p;
});

test("or starts anew after an eviction: a new profile", async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const p = await page(ctx, "temp");
  await p.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await onboard(p, "temp");
  await evict(await closeApp(ctx));
  const q = await page(ctx, "temp-evicted");
  await q.getByRole("button", { name: "Start anew" }).click();
  await q.getByRole("heading", { name: "Create your profile" }).waitFor({ timeout: 60000 });
  await ctx.close();
});

test("alice moves by link to a third browser: the link and its QR code, the passphrase there, bob's next message arrives", async () => {
  const p = u.restored.page;
  await p.goto(`${server.url}#/settings`);
  await p.getByRole("button", { name: "Move to another browser" }).click();
  const d = dialog(p);
  await d.getByLabel("Passphrase", { exact: true }).fill(MOVE_PASS);
  await d.getByLabel("Repeat the passphrase").fill(MOVE_PASS);
  await d.getByRole("button", { name: "Make the link" }).click();
  const box = d.getByRole("textbox", { name: "Link to move the account" });
  await box.waitFor({ timeout: 90000 });
  const link = await box.inputValue();
  assert.ok(link.startsWith(`${server.url}#/move/`) && !link.includes("ferries"), link);
  await d.getByRole("img", { name: "QR code of the link to move the account" }).waitFor();
  assert.match(await d.textContent(), /this one stops/);
  await shots(p, "move-link");
  const ctx = await browser.newContext({ viewport: PHONE });
  const q = await page(ctx, "alice-moved", link);
  await q.getByRole("heading", { name: "Move your account here" }).waitFor({ timeout: 60000 });
  assert.match(await restore(q, { passphrase: "seven red ferries", submit: "Move here" }), /does not open the backup/);
  await shots(q, "move-here");
  assert.equal(await restore(q, { passphrase: MOVE_PASS, submit: "Move here" }), null);
  assert.ok(!q.url().includes("/move/"), "the link stays in the address bar");
  await p.getByText("now used in another browser").waitFor({ timeout: 60000 });
  await api(u.bob.page, ([g, t]) => sxapp.chat.sendGroupMessage(g, t), [u.bob.gid, "welcome to your new browser"]);
  await until(async () => (await api(q, () => sxapp.chat.groups().then((gs) => sxapp.chat.messages({ groupId: gs[0].groupId }))))
    .some((m) => m.text === "welcome to your new browser"), { what: "bob's message in the moved account", timeout: 120000 });
  await ctx.close();
});
