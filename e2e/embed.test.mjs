// embed.test.mjs — a page of another origin embeds the client: it imports
// web/simplex.js from the app's server (CORS), which loads the wasm from there,
// keeps its state in the embedding origin's IndexedDB, uses the app's relay by
// default and makes links that open the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startServer, launch, watch, haveWasm } from "./lib.mjs";

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
    return { link, relays: chat.relays, dbs };
  }, server.url);
  assert.ok(r.link.startsWith(`${server.url}#/join/`), r.link);
  assert.deepEqual(r.relays, [`${server.relay}`]);
  assert.ok(r.dbs.includes("embedded"), `databases of the embedding origin: ${r.dbs}`);
  await ctx.close();
});
