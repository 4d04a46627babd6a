// backup.test.mjs — issue 13 in Chromium on the real core and relay (cmd/serve):
// alice has a contact (bob) and a group (with bob), they chat both ways; alice
// exports her account, it is imported into a fresh browser profile, which lists
// her chats and history; by link too, through the file relay, where cmd/serve
// has one. And the browser profile's IndexedDB files on disk hold no message text
// (a control record written in clear is found there, and so is the text of a
// database created with atRest: false; and so is the raw material of a
// non-extractable CryptoKey kept in IndexedDB, which the docs say). A stale backup chats on both ways
// (its ratchets are behind: the import marks it and the first start re-synchronizes them). A database
// the browser evicted makes start() reject EVICTED.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer, launch, apiPage, call, until, haveWasm } from "./lib.mjs";

let server, browser;
const users = {};

before(async () => {
  assert.ok(haveWasm(), "build/web has no wasm: run ./build.sh wasm first");
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function startIn(page, db, opts = {}) {
  return page.evaluate(async ([db, opts]) => {
    const { start } = await import("/web/simplex.js");
    try {
      globalThis.chat = await start({ db, ...opts });
      return { ok: true };
    } catch (e) {
      return { error: e.code || e.message };
    }
  }, [db, opts]);
}

async function user(name, ctx = null) {
  ctx = ctx || await browser.newContext();
  const page = await apiPage(ctx, server.url, name);
  const r = await startIn(page, name);
  assert.equal(r.ok, true, `${name} start: ${r.error}`);
  await call({ name, page }, "setProfile", { displayName: name, fullName: "" });
  return { name, ctx, page };
}

const texts = (ms) => ms.map((m) => m.text);
const said = (ms) => texts(ms.filter((m) => !m.system));

/** alice's chats as the API lists them: the group, the contact, each one's texts
 * (what people wrote: a restored copy adds notices of its re-synchronized encryption). */
async function chatsOf(u) {
  const groups = await call(u, "groups");
  const contacts = await call(u, "contacts");
  const out = { groups: [], contacts: [] };
  for (const g of groups) out.groups.push({ name: g.displayName, texts: said(await call(u, "messages", { groupId: g.groupId })) });
  for (const c of contacts) out.contacts.push({ name: c.displayName, texts: said(await call(u, "messages", { contactId: c.contactId })) });
  return out;
}

/** Exports in u's page; the backup's bytes as base64 (a few hundred KB at most here). */
async function exportB64(u, opts) {
  return u.page.evaluate(async (opts) => {
    const blob = await chat.exportAccount(opts);
    const b = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
    return btoa(s);
  }, opts);
}

async function importIn(page, opts) {
  return page.evaluate(async (opts) => {
    const { importAccount } = await import("/web/simplex.js");
    if (opts.b64) {
      const s = atob(opts.b64);
      opts.data = Uint8Array.from(s, (c) => c.charCodeAt(0));
      delete opts.b64;
    }
    try {
      return { ok: await importAccount(opts) };
    } catch (e) {
      return { error: e.code || e.message };
    }
  }, opts);
}

/** a and b: contacts, and a group a made with b in it; the ids on each. */
async function connectPair(a, b) {
  const inv = await call(a, "createInvitation");
  const { contactId: bc } = await call(b, "connect", inv.link);
  a.contactId = inv.contactId;
  b.contactId = bc;
  await until(async () => (await call(a, "contacts")).some((c) => c.status === "connected"), { what: "contact connected" });
  const { groupId } = await call(a, "createGroup", { displayName: "Book club", fullName: "", directMessages: "off" });
  a.groupId = groupId;
  b.groupId = (await call(b, "joinGroup", await call(a, "createGroupLink", groupId), { incognito: false })).groupId;
  await until(async () => (await call(a, "members", groupId)).some((m) => m.status === "connected"), { what: `${b.name} in the group` });
}

test("alice and bob: a contact and a group, chatting both ways", async () => {
  users.alice = await user("alice");
  users.bob = await user("bob");
  const { alice, bob } = users;
  await connectPair(alice, bob);
  const groupId = alice.groupId;
  await call(alice, "sendDirectMessage", alice.contactId, "direct from alice");
  await call(bob, "sendDirectMessage", bob.contactId, "direct from bob");
  await call(alice, "sendGroupMessage", groupId, "group from alice");
  await call(bob, "sendGroupMessage", bob.groupId, "group from bob");
  await until(async () => (await call(alice, "messages", { groupId })).length === 2 &&
    (await call(alice, "messages", { contactId: alice.contactId })).length === 2, { what: "alice has all four" });
});

test("export, import into a fresh browser profile: the chats and their history are there", async () => {
  const { alice } = users;
  const want = await chatsOf(alice);
  assert.equal(want.groups.length, 1);
  assert.equal(want.contacts.length, 1);
  const b64 = await exportB64(alice, { passphrase: "a long passphrase" });
  const ctx = await browser.newContext(); // a fresh profile: its own IndexedDB
  const page = await apiPage(ctx, server.url, "alice-restored");
  assert.equal((await importIn(page, { db: "alice", b64, passphrase: "wrong" })).error, "BAD_PASSPHRASE");
  const r = await importIn(page, { db: "alice", b64, passphrase: "a long passphrase" });
  assert.ok(r.ok, `import: ${r.error}`);
  assert.ok(r.ok.records > 10 && r.ok.created > Date.now() - 600000, JSON.stringify(r.ok));
  assert.equal((await importIn(page, { db: "alice", b64, passphrase: "a long passphrase" })).error, "NOT_EMPTY");
  const s = await startIn(page, "alice");
  assert.ok(s.ok, `start after import: ${s.error}`);
  const restored = { name: "alice-restored", ctx, page };
  assert.deepEqual(await chatsOf(restored), want);
  assert.equal((await call(restored, "getProfile")).displayName, "alice");
  await call(restored, "close");
  users.restoredCtx = ctx;
});

test("move by link through the file relay (cmd/serve's /files)", async (t) => {
  const probe = await fetch(`${server.url}files/new`, { method: "POST", body: "{}" }).catch(() => null);
  if (!probe || probe.status === 404) return t.skip("this cmd/serve has no file relay at /files yet (relay/files, being built)");
  const { alice } = users;
  const link = await call(alice, "moveAccount", { passphrase: "moving passphrase" });
  assert.ok(link.startsWith(server.url) && link.includes("#/move/") && !link.includes("moving"), link);
  const ctx = await browser.newContext();
  const page = await apiPage(ctx, server.url, "alice-moved");
  const r = await importIn(page, { db: "alice", link, passphrase: "moving passphrase" });
  assert.ok(r.ok, `import by link: ${r.error}`);
  assert.ok((await startIn(page, "alice")).ok);
  assert.deepEqual(await chatsOf({ name: "alice-moved", page }), await chatsOf(alice));
  await ctx.close();
});

test("eviction noticed: the account's database gone, start() rejects EVICTED", async () => {
  const ctx = await browser.newContext();
  const page = await apiPage(ctx, server.url, "evicted");
  assert.ok((await startIn(page, "evicted")).ok);
  await call({ name: "evicted", page }, "setProfile", { displayName: "gone soon", fullName: "" });
  await call({ name: "evicted", page }, "close");
  // what the browser's eviction does to IndexedDB (localStorage stays, as in Chromium)
  await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase("evicted");
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
  }));
  assert.equal((await startIn(page, "evicted")).error, "EVICTED");
  assert.equal((await startIn(page, "evicted")).error, "EVICTED", "it says so until the user decides");
  assert.ok((await startIn(page, "evicted", { acceptEviction: true })).ok, "starting anew");
  await call({ name: "evicted", page }, "close");
  assert.ok((await startIn(page, "evicted")).ok, "the new account is remembered");
  await ctx.close();
});

/** Files under dir whose bytes contain text (as Latin-1 or UTF-16LE). */
function grep(dir, text) {
  const needles = [Buffer.from(text, "latin1"), Buffer.from(text, "utf16le")];
  const hits = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 256 << 20) {
        const b = readFileSync(p);
        if (needles.some((n) => b.includes(n))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

test("after use, the browser profile's IndexedDB files hold no message text", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sxweb-profile-"));
  try {
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
    const page = await apiPage(ctx, server.url, "disk");
    const secret = `zebra-${Math.random().toString(36).slice(2)}-crossing`; // built here: not in any script source
    const plain = `plain-${Math.random().toString(36).slice(2)}-text`;
    const control = `control-${Math.random().toString(36).slice(2)}-record`;
    const rawKey = [...crypto.getRandomValues(new Uint8Array(32))];
    const u = { name: "disk", page };
    for (const [db, opts, text] of [["disk", {}, secret], ["plain", { atRest: false }, plain]]) {
      const s = await startIn(page, db, opts);
      assert.ok(s.ok, `${db}: ${s.error}`);
      await call(u, "setProfile", { displayName: `${text}-name`, fullName: "" });
      const { groupId } = await call(u, "createGroup", { displayName: `${text}-group`, fullName: "", directMessages: "off" });
      for (let i = 0; i < 20; i++) await call(u, "sendGroupMessage", groupId, `${text} number ${i}`);
      await call(u, "close");
    }
    // a control: a record written in clear by the page itself, in another database
    await page.evaluate((control) => new Promise((resolve, reject) => {
      const r = indexedDB.open("control", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("s");
      r.onsuccess = () => {
        const tx = r.result.transaction("s", "readwrite");
        tx.objectStore("s").put(control, "k");
        tx.oncomplete = () => { r.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), control);
    // what the default key handling rests on: a non-extractable CryptoKey kept in IndexedDB
    await page.evaluate(async (raw) => {
      const k = await crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
      await new Promise((resolve, reject) => {
        const r = indexedDB.open("keyprobe", 1);
        r.onupgradeneeded = () => r.result.createObjectStore("k");
        r.onsuccess = () => {
          const tx = r.result.transaction("k", "readwrite");
          tx.objectStore("k").put(k, "key");
          tx.oncomplete = () => { r.result.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        };
      });
    }, rawKey);
    await ctx.close(); // the profile is flushed and closed
    assert.ok(grep(dir, control).length > 0, "the control record is not found: the grep does not see IndexedDB's files");
    assert.ok(grep(dir, plain).length > 0, "the text of the database kept in clear is not found: the grep would not catch text in clear");
    assert.deepEqual(grep(dir, secret), [], "message text found in the browser profile");
    // docs/backup-and-storage.md says it: the key's material is in the profile, in clear
    // (so the device key keeps text from a grep, not from someone who reads IndexedDB's format)
    assert.ok(grep(dir, Buffer.from(rawKey).toString("latin1")).length > 0,
      "a non-extractable CryptoKey's material is no longer in the profile in clear: update docs/backup-and-storage.md");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stale backup chats on both ways after import (ratchet re-sync)", async () => {
  // a pair of its own: the tests above moved alice's account elsewhere
  const alice = await user("carol"), bob = await user("dave");
  await connectPair(alice, bob);
  await call(alice, "sendDirectMessage", alice.contactId, "before the backup");
  await until(async () => texts(await call(bob, "messages", { contactId: bob.contactId })).includes("before the backup"), { what: "dave got carol's" });
  const b64 = await exportB64(alice, { passphrase: "stale passphrase" });
  // they keep chatting after the backup: the ratchets move on
  await call(alice, "sendDirectMessage", alice.contactId, "after the backup, from alice");
  await call(bob, "sendDirectMessage", bob.contactId, "after the backup, from bob");
  await call(bob, "sendGroupMessage", bob.groupId, "group after the backup");
  await until(async () => texts(await call(alice, "messages", { contactId: alice.contactId })).includes("after the backup, from bob"), { what: "alice got bob's" });
  await call(alice, "close");
  await alice.ctx.close();
  const ctx = await browser.newContext();
  const page = await apiPage(ctx, server.url, "alice-stale");
  assert.ok((await importIn(page, { db: "carol", b64, passphrase: "stale passphrase" })).ok);
  assert.ok((await startIn(page, "carol")).ok);
  const stale = { name: "alice-stale", page };
  await call(stale, "sendDirectMessage", alice.contactId, "from the restored alice");
  await call(stale, "sendGroupMessage", alice.groupId, "group from the restored alice");
  await until(async () => texts(await call(bob, "messages", { contactId: bob.contactId })).includes("from the restored alice"), { what: "bob gets the restored alice's direct message", timeout: 60000 });
  await until(async () => texts(await call(bob, "messages", { groupId: bob.groupId })).includes("group from the restored alice"), { what: "bob gets her group message", timeout: 60000 });
  await call(bob, "sendDirectMessage", bob.contactId, "bob to the restored alice");
  await call(bob, "sendGroupMessage", bob.groupId, "bob to the group again");
  await until(async () => texts(await call(stale, "messages", { contactId: alice.contactId })).includes("bob to the restored alice"), { what: "the restored alice gets bob's", timeout: 60000 });
  await until(async () => texts(await call(stale, "messages", { groupId: alice.groupId })).includes("bob to the group again"), { what: "and the group's", timeout: 60000 });
  // the chat says what happened: a notice of the re-synchronized encryption
  assert.ok((await call(stale, "messages", { contactId: alice.contactId })).some((m) => m.system === "ratchetSync"), "no re-sync notice in the restored chat");
});
