// embed.test.mjs — a page of another origin embeds the client: it imports
// web/simplex.js from the app's server (CORS), which loads the wasm from there
// into a worker of the embedding origin (mode "leader": a SharedWorker must be
// same-origin), keeps its state in the embedding origin's IndexedDB, uses the
// app's relay by default and makes links that open the app. And the app and an
// embedding page of the app's own origin run at once on one core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startServer, launch, watch, until, haveWasm } from "./lib.mjs";

let server, browser, other;

before(async () => {
  assert.ok(haveWasm(), "build/web has no wasm: run ./build.sh wasm first");
  server = await startServer();
  browser = await launch();
  other = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>someone else's page</title>");
  });
  await new Promise((ok) => other.listen(0, "127.0.0.1", ok));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  other?.close();
});

test("a page of another origin imports simplex.js and runs the client", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  watch(page, "embedder");
  const origin = `http://127.0.0.1:${other.address().port}/`;
  await page.goto(origin);
  const r = await page.evaluate(async (app) => {
    const { start } = await import(`${app}web/simplex.js`);
    const chat = await start({ db: "embedded" });
    await chat.setProfile({ displayName: "widget", fullName: "" });
    const { groupId } = await chat.createGroup({ displayName: "Embedded", fullName: "", directMessages: "off" });
    const link = await chat.createGroupLink(groupId);
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    await chat.close();
    return { link, relays: chat.relays, dbs, mode: chat.mode };
  }, server.url);
  assert.equal(r.mode, "leader");
  assert.ok(r.link.startsWith(`${server.url}#/join/`), r.link);
  assert.deepEqual(r.relays, [`${server.relay}`]);
  assert.ok(r.dbs.includes("embedded"), `databases of the embedding origin: ${r.dbs}`);
  await ctx.close();
});

test("the app and an embedding page of the same origin at once, on one core", async () => {
  const ctx = await browser.newContext({ serviceWorkers: "block" });
  const app = await ctx.newPage();
  watch(app, "app");
  await app.goto(server.url);
  await app.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  await app.getByLabel("Display name").fill("alice");
  await app.getByRole("button", { name: "Create profile" }).click();
  await app.getByRole("link", { name: "New group" }).first().click();
  await app.getByLabel("Group name").fill("Widget");
  await app.getByRole("button", { name: "Create group" }).click();
  await app.getByRole("textbox", { name: "Group link" }).waitFor();
  const groupId = decodeURIComponent(new URL(app.url()).hash.split("/")[2]);

  // The embedding example page, used as a person would: its database field and Start.
  const widget = await ctx.newPage();
  watch(widget, "widget");
  await widget.goto(`${server.url}web/embed.html`);
  await widget.getByLabel("Database").fill("simplex");
  await widget.getByRole("button", { name: "Start" }).click();
  await widget.locator("#log", { hasText: "Widget" }).waitFor();
  assert.equal(await widget.evaluate(() => chat.mode), "shared");

  await app.goto(`${server.url}#/group/${encodeURIComponent(groupId)}`);
  await app.waitForSelector(".chat-view .messages");
  await widget.evaluate((g) => chat.sendGroupMessage(g, "from the widget"), groupId);
  const box = app.getByRole("textbox", { name: "Message" });
  await box.fill("from the app");
  await box.press("Enter");
  await until(async () => {
    const shown = await app.locator(".messages .msg .text").allInnerTexts();
    return shown.includes("from the widget") && shown.includes("from the app");
  }, { what: "the app shows both" });
  await widget.locator("#log", { hasText: "from the app" }).waitFor();
  const log = await widget.locator("#log").innerText();
  assert.equal(log.split("\n").filter((l) => l.startsWith("message:") && l.includes('"from the app"')).length, 1, "the widget got the app's message once");
  await ctx.close();
});
