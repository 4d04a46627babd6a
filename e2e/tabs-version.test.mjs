// tabs-version.test.mjs — a new build replaces the core's worker: the app and
// an embedding page run the old build on one shared core; the server gets a
// new build (web/version.js says so, as build.sh stamps it); a tab of the new
// build starts its own worker, which takes the database over from the old
// core (one core at a time). The old embedding page sees `closed` with reason
// "version" and VERSION errors; the old app reloads itself into the new build
// and goes on with the same data; a page of the old build that starts later
// is refused VERSION. Service workers are blocked here so that each load gets
// what the server has (sw-update.test.mjs covers the cached shell).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, until, watch, haveWasm, webDir } from "./lib.mjs";
import { startIn, holders } from "./tabslib.mjs";

let server, browser, web;

before(async () => {
  assert.ok(haveWasm(), "build/web has no wasm: run ./build.sh wasm first");
  web = mkdtempSync(join(tmpdir(), "sxweb-e2e-web-"));
  cpSync(webDir, web, { recursive: true });
  server = await startServer({ web });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(web, { recursive: true, force: true });
});

const versionOf = (page) => page.evaluate(async () => (await import("/web/version.js")).VERSION);

test("a new build takes the database over; the old app reloads into it, an old page gets VERSION", async () => {
  const ctx = await browser.newContext({ serviceWorkers: "block" });
  const app = await ctx.newPage();
  watch(app, "old app");
  await app.goto(server.url);
  await app.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await app.getByLabel("Display name").fill("alice");
  await app.getByRole("button", { name: "Create profile" }).click();
  await app.waitForSelector("body[data-route='home']");
  const old = await versionOf(app);

  const embed = await ctx.newPage();
  watch(embed, "old embed");
  await embed.goto(`${server.url}web/embed.html`);
  assert.equal((await startIn(embed, "simplex")).mode, "shared");
  assert.equal((await embed.evaluate(() => chat.getProfile())).displayName, "alice", "the embedding page shares the app's core");

  // Deploy a new build: same files, a new version, built later.
  const file = join(web, "web", "version.js");
  const src = readFileSync(file, "utf8");
  const built = Number(src.match(/Number\("(\d+)"\)/)[1]);
  const next = `${old}-next`;
  writeFileSync(file, src.replace(`"${old}"`, `"${next}"`).replace(`"${built}"`, `"${built + 1}"`));

  const reloaded = app.waitForEvent("load", { timeout: 60000 });
  const fresh = await ctx.newPage();
  watch(fresh, "new app");
  await fresh.goto(server.url);
  await fresh.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  assert.equal(await versionOf(fresh), next);
  await fresh.waitForSelector("body[data-route='home']");

  // The old embedding page: closed with reason "version", its calls reject VERSION.
  await until(() => embed.evaluate(() => events.some((e) => e.type === "closed" && e.reason === "version")), { what: "the old page is told" });
  assert.equal(await embed.evaluate(() => chat.groups().then(() => "ok", (e) => e.code)), "VERSION");

  // The old app reloads itself into the new build, on the same data and the same core.
  await reloaded;
  await app.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  assert.equal(await versionOf(app), next);
  await app.waitForSelector("body[data-route='home']");
  await fresh.getByRole("link", { name: "New group" }).first().click();
  await fresh.getByLabel("Group name").fill("After the update");
  await fresh.getByRole("button", { name: "Create group" }).click();
  await until(async () => (await app.locator(".chatlist a", { hasText: "After the update" }).count()) === 1, { what: "the reloaded app shows the new tab's group" });

  // One core, of the new build.
  assert.deepEqual((await holders(fresh, "simplex")).map((h) => h.version), [next]);

  // A page that still has the old build (its version.js from before) is refused.
  const late = await ctx.newPage();
  watch(late, "late old page");
  await late.route("**/web/version.js", (r) => r.fulfill({ contentType: "text/javascript", body: src }));
  await late.goto(`${server.url}web/embed.html`);
  assert.equal(await versionOf(late), old);
  assert.deepEqual(await startIn(late, "simplex"), { error: "VERSION" });
  assert.deepEqual((await holders(fresh, "simplex")).map((h) => h.version), [next], "still one core, the new one");
  await ctx.close();
});
